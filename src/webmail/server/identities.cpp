// Sender identities: JSON form, validation, merging with the server's addresses, per-user files.
#include "webmail/server/identities.hpp"

#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <unistd.h>

#include <fstream>
#include <set>
#include <sstream>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "mime/address.hpp"
#include "mime/message_builder.hpp"

namespace claret::webmail {
namespace {

Result<std::string> text_field(const json::Value& o, std::string_view key, std::size_t max, bool one_line,
                               const std::string& where) {
  auto v = json::string_member(o, key, false);
  if (!v) return make_error(where + ": " + v.error().message, 400);
  if (v->size() > max) return make_error(where + ": " + std::string(key) + " is too long", 400);
  if (one_line && v->find_first_of("\r\n") != std::string::npos)
    return make_error(where + ": " + std::string(key) + " must be one line", 400);
  return std::string(trim(*v));
}

// A bare addr-spec with a domain, nothing else.
bool is_plain_address(const std::string& s) {
  if (s.empty() || s.find_first_of(" <>,;\"\r\n\t") != std::string::npos) return false;
  auto boxes = mime::parse_mailboxes(s);
  return boxes.size() == 1 && !boxes[0].domain.empty() && !boxes[0].local_part.empty() && boxes[0].addr_spec() == s;
}

std::string hex_sha256(const std::string& s) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(s.data(), s.size(), md, &len, EVP_sha256(), nullptr);
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 15];
  }
  return out;
}

uint64_t id_number(const std::string& id) {
  if (id.size() < 2 || id[0] != 'i') return 0;
  auto n = parse_u64(id.substr(1));
  return n ? *n : 0;
}

}  // namespace

IdentityStore::IdentityStore(std::filesystem::path dir) : dir_(std::move(dir)) {
  // OpenSSL initialises itself on first use. Done here, on the constructing thread, rather than by the first
  // hex_sha256 on a blocking-pool thread: that thread would keep the per-thread error state OpenSSL's config loading
  // allocates, which LeakSanitizer reports when the pool's threads end (seen in the webmail unit tests).
  OPENSSL_init_crypto(OPENSSL_INIT_LOAD_CONFIG, nullptr);
}

std::string identity_json(const Identity& i) {
  return json::Builder::object()
      .field("id", i.id)
      .field("name", i.name)
      .field("email", i.email)
      .field("reply_to", i.reply_to)
      .field("signature", i.signature)
      .field_bool("server_known", i.server_known)
      .done();
}

std::string identities_json(const std::vector<Identity>& list) {
  json::Builder b = json::Builder::array();
  for (const auto& i : list) b.raw(identity_json(i));
  return b.done();
}

Result<std::vector<Identity>> identities_from_json(const json::Value& array) {
  if (array.type != json::Value::Type::array) return make_error("\"identities\" must be a list", 400);
  if (array.array.size() > kMaxIdentities)
    return make_error("at most " + std::to_string(kMaxIdentities) + " identities", 400);
  std::vector<Identity> out;
  std::set<std::string> ids, emails;
  uint64_t next = 1;
  for (const auto& v : array.array)
    if (v.type == json::Value::Type::object)
      if (auto id = json::string_member(v, "id", false)) next = std::max(next, id_number(*id) + 1);
  for (std::size_t n = 0; n < array.array.size(); ++n) {
    const json::Value& v = array.array[n];
    std::string where = "identity " + std::to_string(n + 1);
    if (v.type != json::Value::Type::object) return make_error(where + " must be an object", 400);
    Identity i;
    auto id = text_field(v, "id", 32, true, where);
    if (!id) return id.error();
    auto name = text_field(v, "name", 200, true, where);
    if (!name) return name.error();
    auto email = text_field(v, "email", 320, true, where);
    if (!email) return email.error();
    auto reply_to = text_field(v, "reply_to", 1000, true, where);
    if (!reply_to) return reply_to.error();
    auto signature = json::string_member(v, "signature", false);
    if (!signature) return make_error(where + ": " + signature.error().message, 400);
    if (signature->size() > kMaxSignatureBytes) return make_error(where + ": signature is too long", 400);
    if (!is_plain_address(*email)) return make_error(where + ": \"" + *email + "\" is not an email address", 400);
    if (!emails.insert(to_lower(*email)).second) return make_error(where + ": " + *email + " is listed twice", 400);
    if (!reply_to->empty()) {
      mime::MessageDraft probe;
      probe.from = *email;
      probe.reply_to.push_back(*reply_to);
      auto built = mime::build_message(probe);
      if (!built) return make_error(where + ": " + built.error().message, 400);
    }
    i.id = id_number(*id) ? *id : "i" + std::to_string(next++);
    if (!ids.insert(i.id).second) i.id = "i" + std::to_string(next++);
    i.name = std::move(*name);
    i.email = std::move(*email);
    i.reply_to = std::move(*reply_to);
    i.signature = std::move(*signature);
    out.push_back(std::move(i));
  }
  return out;
}

std::vector<Identity> merge_identities(std::vector<Identity> stored, const std::vector<std::string>& known) {
  uint64_t next = 1;
  for (const auto& i : stored) next = std::max(next, id_number(i.id) + 1);
  for (auto& i : stored) {
    i.server_known = false;
    for (const auto& k : known)
      if (iequals(k, i.email)) i.server_known = true;
  }
  for (const auto& k : known) {
    bool have = false;
    for (const auto& i : stored)
      if (iequals(k, i.email)) have = true;
    if (have || !is_plain_address(k)) continue;
    Identity i;
    i.id = "i" + std::to_string(next++);
    i.email = k;
    i.server_known = true;
    stored.push_back(std::move(i));
  }
  return stored;
}

std::filesystem::path IdentityStore::file_for(const std::string& username) const {
  return dir_ / ("identities-" + hex_sha256(to_lower(username)) + ".json");
}

std::optional<std::vector<Identity>> IdentityStore::load(const std::string& username) {
  std::lock_guard lock(mu_);
  if (dir_.empty()) {
    auto it = memory_.find(to_lower(username));
    if (it == memory_.end()) return std::nullopt;
    return it->second;
  }
  std::ifstream in(file_for(username), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  auto v = json::parse(text.str());
  const json::Value* list = v ? v->get("identities") : nullptr;
  auto parsed = list ? identities_from_json(*list) : Result<std::vector<Identity>>(make_error("no identities list", 0));
  if (!parsed) {
    log::warn("webmail.identities_unreadable", {{"file", file_for(username).string()}, {"error", parsed.error().message}});
    return std::nullopt;
  }
  return std::move(parsed).value();
}

Status IdentityStore::save(const std::string& username, const std::vector<Identity>& list) {
  std::lock_guard lock(mu_);
  if (dir_.empty()) {
    memory_[to_lower(username)] = list;
    return {};
  }
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  if (ec) return make_error("cannot create " + dir_.string() + ": " + ec.message(), 500);
  std::string text = json::Builder::object().field_raw("identities", identities_json(list)).done() + "\n";
  std::filesystem::path target = file_for(username);
  std::filesystem::path tmp = target;
  tmp += ".tmp";
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return make_error("cannot write " + tmp.string(), 500);
  std::size_t off = 0;
  while (off < text.size()) {
    ssize_t n = ::write(fd, text.data() + off, text.size() - off);
    if (n <= 0) {
      ::close(fd);
      return make_error("cannot write " + tmp.string(), 500);
    }
    off += static_cast<std::size_t>(n);
  }
  bool synced = ::fsync(fd) == 0;
  ::close(fd);
  if (!synced) return make_error("cannot sync " + tmp.string(), 500);
  std::filesystem::rename(tmp, target, ec);
  if (ec) return make_error("cannot replace " + target.string() + ": " + ec.message(), 500);
  int dfd = ::open(dir_.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
  return {};
}

}  // namespace claret::webmail
