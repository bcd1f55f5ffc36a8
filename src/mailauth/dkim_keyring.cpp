// DKIM key files on disk and multi-key signing (RFC 6376 §3.1, RFC 8463 §1).
#include "mailauth/dkim_keyring.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "base/strings.hpp"

namespace claret::mailauth {

namespace {

bool valid_label(std::string_view label, bool allow_underscore) {
  if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
  for (char c : label) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
              (allow_underscore && c == '_');
    if (!ok) return false;
  }
  return true;
}

Status validate_name(std::string_view name, bool allow_underscore, const char* what) {
  if (name.empty() || name.size() > 253) return make_error(std::string("invalid ") + what + " '" + std::string(name) + "'");
  for (std::string_view label : split(name, '.'))
    if (!valid_label(label, allow_underscore))
      return make_error(std::string("invalid ") + what + " '" + std::string(name) + "'");
  return {};
}

Status make_private_dir(const std::filesystem::path& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return make_error("cannot create " + dir.string() + ": " + ec.message());
  std::filesystem::permissions(dir, std::filesystem::perms::owner_all, ec);
  if (ec) return make_error("cannot restrict " + dir.string() + ": " + ec.message());
  return {};
}

}  // namespace

Status validate_domain(std::string_view domain) { return validate_name(domain, false, "domain"); }
Status validate_selector(std::string_view selector) { return validate_name(selector, true, "selector"); }

std::filesystem::path key_file_path(const std::filesystem::path& dir, std::string_view domain,
                                    std::string_view selector) {
  return dir / to_lower(domain) / (std::string(selector) + ".pem");
}

Result<std::filesystem::path> write_key_file(const std::filesystem::path& dir, std::string_view domain,
                                             std::string_view selector, const PrivateKey& key) {
  if (auto st = validate_domain(domain); !st) return st.error();
  if (auto st = validate_selector(selector); !st) return st.error();
  auto path = key_file_path(dir, domain, selector);
  if (auto st = make_private_dir(dir); !st) return st.error();
  if (auto st = make_private_dir(path.parent_path()); !st) return st.error();
  // O_EXCL: never replace a key, even one created by a concurrent keygen.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) return make_error(path.string() + " already exists (choose another selector to rotate keys)");
    return make_error("cannot create " + path.string() + ": " + std::strerror(errno));
  }
  std::string pem = key.to_pem();
  size_t done = 0;
  while (done < pem.size()) {
    ssize_t n = ::write(fd, pem.data() + done, pem.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      std::string err = std::strerror(errno);
      ::close(fd);
      ::unlink(path.c_str());
      return make_error("cannot write " + path.string() + ": " + err);
    }
    done += static_cast<size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  if (::close(fd) != 0 || !synced) {
    ::unlink(path.c_str());
    return make_error("cannot write " + path.string() + ": " + std::strerror(errno));
  }
  return path;
}

Result<std::vector<KeyFile>> list_key_files(const std::filesystem::path& dir) {
  std::vector<KeyFile> out;
  std::error_code ec;
  if (!std::filesystem::exists(dir, ec)) return out;
  for (const auto& domain_entry : std::filesystem::directory_iterator(dir, ec)) {
    if (!domain_entry.is_directory(ec)) continue;
    std::string domain = domain_entry.path().filename().string();
    if (!validate_domain(domain) || domain != to_lower(domain)) continue;
    std::error_code ec2;
    for (const auto& file : std::filesystem::directory_iterator(domain_entry.path(), ec2)) {
      if (!file.is_regular_file(ec2) || file.path().extension() != ".pem") continue;
      std::string selector = file.path().stem().string();
      if (!validate_selector(selector)) continue;
      out.push_back(KeyFile{domain, selector, file.path()});
    }
    if (ec2) return make_error("cannot list " + domain_entry.path().string() + ": " + ec2.message());
  }
  if (ec) return make_error("cannot list " + dir.string() + ": " + ec.message());
  std::sort(out.begin(), out.end(), [](const KeyFile& a, const KeyFile& b) {
    return a.domain != b.domain ? a.domain < b.domain : a.selector < b.selector;
  });
  return out;
}

Result<DkimKeyring> DkimKeyring::load(const std::filesystem::path& dir, SignerOptions options) {
  auto files = list_key_files(dir);
  if (!files) return files.error();
  DkimKeyring ring;
  for (const auto& f : *files) {
    auto signer = DkimSigner::from_file(f.domain, f.selector, f.file, options);
    if (!signer) return signer.error();
    ring.signers_.push_back(std::move(signer).value());
  }
  return ring;
}

std::string DkimKeyring::sign(std::string_view domain, std::string_view message) const {
  std::string d = to_lower(domain);
  while (!d.empty() && d.back() == '.') d.pop_back();
  for (;;) {
    std::string out;
    for (const auto& s : signers_)
      if (s.domain() == d) out += s.sign(message);
    if (!out.empty()) return out;
    size_t dot = d.find('.');
    // Stop before a bare top-level domain: nobody signs as d=com.
    if (dot == std::string::npos || d.find('.', dot + 1) == std::string::npos) return {};
    d.erase(0, dot + 1);
  }
}

}  // namespace claret::mailauth
