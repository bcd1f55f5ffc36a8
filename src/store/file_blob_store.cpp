// FileBlobStore: content-addressed blob files, durable write (tmp → fsync → rename → fsync dir), pread ranges.
#include "store/file_blob_store.hpp"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <ctime>
#include <memory>

#include "base/log.hpp"
#include "store/errc.hpp"

namespace claret::store {
namespace {

Error sys_error(const std::string& what) {
  return store_error(Errc::internal, what + ": " + std::strerror(errno));
}

// Incremental SHA-256 through the OpenSSL 3 EVP interface.
class Sha256 {
 public:
  Sha256() : ctx_(EVP_MD_CTX_new(), &EVP_MD_CTX_free) {
    if (!ctx_ || EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr) != 1) throw std::runtime_error("sha256 init");
  }
  void update(const void* data, size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
  std::string hex() {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), md, &len);
    static const char* kHex = "0123456789abcdef";
    std::string out;
    for (unsigned i = 0; i < len; ++i) {
      out += kHex[md[i] >> 4];
      out += kHex[md[i] & 15];
    }
    return out;
  }

 private:
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

constexpr time_t kStaleTempSeconds = 3600;

bool write_all(int fd, const char* data, size_t n) {
  while (n > 0) {
    ssize_t w = ::write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return false;
    }
    data += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}

bool fsync_dir(const std::string& dir) {
  int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = ::fsync(fd) == 0;
  ::close(fd);
  return ok;
}

// mkdir that also fsyncs the parent when it created the directory, so the new entry survives a crash.
bool ensure_dir(const std::string& parent, const std::string& dir) {
  if (::mkdir(dir.c_str(), 0750) == 0) return fsync_dir(parent);
  return errno == EEXIST;
}

}  // namespace

bool is_valid_blob_id(std::string_view id) {
  if (id.size() != 64) return false;
  for (char c : id)
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  return true;
}

std::string blob_id_of(std::string_view bytes) {
  Sha256 sha;
  sha.update(bytes.data(), bytes.size());
  return sha.hex();
}

BlobReader::BlobReader(BlobReader&& other) noexcept
    : fd_(other.fd_), bytes_(std::move(other.bytes_)), size_(other.size_) {
  other.fd_ = -1;
}

BlobReader& BlobReader::operator=(BlobReader&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = other.fd_;
    bytes_ = std::move(other.bytes_);
    size_ = other.size_;
    other.fd_ = -1;
  }
  return *this;
}

BlobReader::~BlobReader() {
  if (fd_ >= 0) ::close(fd_);
}

Result<std::string> BlobReader::read_at(uint64_t offset, uint64_t count) const {
  if (bytes_) {
    if (offset >= size_) return std::string();
    return bytes_->substr(offset, std::min(count, size_ - offset));
  }
  if (fd_ < 0) return store_error(Errc::invalid, "blob reader is not open");
  if (offset >= size_) return std::string();
  count = std::min(count, size_ - offset);
  std::string out(count, '\0');
  uint64_t done = 0;
  while (done < count) {
    ssize_t r = ::pread(fd_, out.data() + done, count - done, static_cast<off_t>(offset + done));
    if (r < 0) {
      if (errno == EINTR) continue;
      return sys_error("blob pread");
    }
    if (r == 0) break;  // cannot happen for an immutable blob, but never loop forever
    done += static_cast<uint64_t>(r);
  }
  out.resize(done);
  return out;
}

Result<std::unique_ptr<FileBlobStore>> FileBlobStore::create(const std::string& root) {
  if (::mkdir(root.c_str(), 0750) != 0 && errno != EEXIST) return sys_error("mkdir " + root);
  std::string tmp = root + "/tmp";
  if (::mkdir(tmp.c_str(), 0750) != 0 && errno != EEXIST) return sys_error("mkdir " + tmp);
  // Temporary files are never referenced by metadata: old ones belong to a writer that crashed. Recent ones may be
  // another process's put in progress (the admin CLI and `serve` share the data directory), so they are left alone.
  const time_t cutoff = ::time(nullptr) - kStaleTempSeconds;
  if (DIR* d = ::opendir(tmp.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      std::string path = tmp + "/" + name;
      struct stat st;
      if (::stat(path.c_str(), &st) == 0 && st.st_mtime < cutoff) ::unlink(path.c_str());
    }
    ::closedir(d);
  }
  return std::unique_ptr<FileBlobStore>(new FileBlobStore(root));
}

std::string FileBlobStore::path_of(std::string_view id) const {
  std::string p = root_;
  p += '/';
  p.append(id.substr(0, 2));
  p += '/';
  p.append(id.substr(2, 2));
  p += '/';
  p.append(id);
  return p;
}

std::string FileBlobStore::new_temp_path() {
  return root_ + "/tmp/" + std::to_string(::getpid()) + "." + std::to_string(temp_counter_.fetch_add(1));
}

Result<BlobRef> FileBlobStore::commit_temp(const std::string& tmp_path, const std::string& id, uint64_t size) {
  std::string final_path = path_of(id);
  if (refresh_existing(id, size)) {
    ::unlink(tmp_path.c_str());  // already stored: one copy for every recipient
    return BlobRef{id, size};
  }
  std::string d1 = root_ + "/" + id.substr(0, 2);
  std::string d2 = d1 + "/" + id.substr(2, 2);
  if (!ensure_dir(root_, d1) || !ensure_dir(d1, d2)) {
    ::unlink(tmp_path.c_str());
    return sys_error("mkdir " + d2);
  }
  if (::rename(tmp_path.c_str(), final_path.c_str()) != 0) {
    ::unlink(tmp_path.c_str());
    return sys_error("rename blob");
  }
  if (!fsync_dir(d2)) return sys_error("fsync " + d2);
  return BlobRef{id, size};
}

Result<BlobRef> FileBlobStore::put(std::string_view bytes) {
  std::string id = blob_id_of(bytes);
  if (refresh_existing(id, bytes.size())) return BlobRef{id, bytes.size()};
  std::string tmp = new_temp_path();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return sys_error("create " + tmp);
  bool ok = write_all(fd, bytes.data(), bytes.size()) && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    errno = saved;
    return sys_error("write blob");
  }
  return commit_temp(tmp, id, bytes.size());
}

Result<BlobRef> FileBlobStore::put_from_fd(int in) {
  std::string tmp = new_temp_path();
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
  if (fd < 0) return sys_error("create " + tmp);
  Sha256 sha;
  uint64_t size = 0;
  std::string buf(1 << 16, '\0');
  bool ok = true;
  for (;;) {
    ssize_t r = ::read(in, buf.data(), buf.size());
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) { ok = false; break; }
    if (r == 0) break;
    sha.update(buf.data(), static_cast<size_t>(r));
    size += static_cast<uint64_t>(r);
    if (!write_all(fd, buf.data(), static_cast<size_t>(r))) { ok = false; break; }
  }
  ok = ok && ::fsync(fd) == 0;
  int saved = errno;
  ::close(fd);
  if (!ok) {
    ::unlink(tmp.c_str());
    errno = saved;
    return sys_error("stream blob");
  }
  return commit_temp(tmp, sha.hex(), size);
}

bool FileBlobStore::refresh_existing(const std::string& id, uint64_t size) {
  std::string path = path_of(id);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0 || static_cast<uint64_t>(st.st_size) != size) return false;
  // Touching marks the blob as in use for remove_if_stale(); if the sweeper unlinked it in between, the touch fails
  // and the caller writes the file again.
  return ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0) == 0;
}

std::vector<std::string> FileBlobStore::list_stale(int64_t min_age_seconds) const {
  std::vector<std::string> out;
  const int64_t now = static_cast<int64_t>(::time(nullptr));
  auto list_dir = [](const std::string& dir) {
    std::vector<std::string> names;
    if (DIR* d = ::opendir(dir.c_str())) {
      while (dirent* e = ::readdir(d)) {
        std::string name = e->d_name;
        if (name != "." && name != ".." && name != "tmp") names.push_back(name);
      }
      ::closedir(d);
    }
    return names;
  };
  for (const auto& a : list_dir(root_)) {
    if (a.size() != 2) continue;
    for (const auto& b : list_dir(root_ + "/" + a)) {
      for (const auto& id : list_dir(root_ + "/" + a + "/" + b)) {
        if (!is_valid_blob_id(id)) continue;
        struct stat st;
        if (::stat(path_of(id).c_str(), &st) == 0 && now - static_cast<int64_t>(st.st_mtime) >= min_age_seconds)
          out.push_back(id);
      }
    }
  }
  return out;
}

bool FileBlobStore::remove_if_stale(std::string_view id, int64_t min_age_seconds) {
  if (!is_valid_blob_id(id)) return false;
  std::string path = path_of(id);
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return false;
  if (static_cast<int64_t>(::time(nullptr)) - static_cast<int64_t>(st.st_mtime) < min_age_seconds) return false;
  return ::unlink(path.c_str()) == 0;
}

Result<BlobReader> FileBlobStore::open(std::string_view id) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  int fd = ::open(path_of(id).c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    if (errno == ENOENT) return store_error(Errc::not_found, "no such blob");
    return sys_error("open blob");
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    ::close(fd);
    return sys_error("fstat blob");
  }
  return BlobReader(fd, static_cast<uint64_t>(st.st_size));
}

Result<std::string> FileBlobStore::read(std::string_view id) const {
  auto r = open(id);
  if (!r) return r.error();
  return r->read_at(0, r->size());
}

Result<std::string> FileBlobStore::read_range(std::string_view id, uint64_t offset, uint64_t count) const {
  auto r = open(id);
  if (!r) return r.error();
  return r->read_at(offset, count);
}

Result<uint64_t> FileBlobStore::stat(std::string_view id) const {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  struct stat st;
  if (::stat(path_of(id).c_str(), &st) != 0) {
    if (errno == ENOENT) return store_error(Errc::not_found, "no such blob");
    return sys_error("stat blob");
  }
  return static_cast<uint64_t>(st.st_size);
}

Status FileBlobStore::remove(std::string_view id) {
  if (!is_valid_blob_id(id)) return store_error(Errc::invalid, "invalid blob id");
  if (::unlink(path_of(id).c_str()) != 0 && errno != ENOENT) return sys_error("unlink blob");
  return {};
}

}  // namespace claret::store
