// The blob files under <data>/blobs as fsck sees them: listed by name and place, hashed by streaming.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/evp.h>

#include <cerrno>
#include <memory>

#include "store/blob_store.hpp"
#include "store/sqlite/fsck_parts.hpp"

namespace claret::store::sqlite::fsck {
namespace {

std::vector<std::string> entries_of(const std::string& dir) {
  std::vector<std::string> names;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") names.push_back(std::move(name));
    }
    ::closedir(d);
  }
  return names;
}

bool is_dir(const std::string& path) {
  struct stat st {};
  return ::lstat(path.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
}

std::string to_hex(const unsigned char* md, unsigned len) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

}  // namespace

std::string blob_path(const std::string& blobs_root, const std::string& id) {
  return blobs_root + "/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
}

BlobFiles list_blob_files(const std::string& blobs_root) {
  BlobFiles out;
  for (const std::string& a : entries_of(blobs_root)) {
    if (a == "tmp") continue;  // blobs being written; FileBlobStore clears stale ones
    const std::string da = blobs_root + "/" + a;
    if (!is_dir(da)) {
      out.stray.push_back(da);
      continue;
    }
    for (const std::string& b : entries_of(da)) {
      const std::string db = da + "/" + b;
      if (!is_dir(db)) {
        out.stray.push_back(db);
        continue;
      }
      for (const std::string& id : entries_of(db)) {
        const std::string path = db + "/" + id;
        struct stat st {};
        const bool regular = ::lstat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode);
        if (!regular || !is_valid_blob_id(id) || id.compare(0, 2, a) != 0 || id.compare(2, 2, b) != 0) {
          out.stray.push_back(path);
          continue;
        }
        out.by_id[id] = BlobFile{path, static_cast<uint64_t>(st.st_size), static_cast<int64_t>(st.st_mtime)};
      }
    }
  }
  return out;
}

std::optional<FileDigest> digest_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
  if (!ctx || EVP_DigestInit_ex(ctx.get(), EVP_sha256(), nullptr) != 1) {
    ::close(fd);
    return std::nullopt;
  }
  FileDigest out;
  std::unique_ptr<char[]> buf(new char[1 << 16]);
  for (;;) {
    ssize_t n = ::read(fd, buf.get(), 1 << 16);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      ::close(fd);
      return std::nullopt;
    }
    if (n == 0) break;
    EVP_DigestUpdate(ctx.get(), buf.get(), static_cast<size_t>(n));
    out.size += static_cast<uint64_t>(n);
  }
  ::close(fd);
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_DigestFinal_ex(ctx.get(), md, &len);
  out.sha256 = to_hex(md, len);
  return out;
}

std::string sha256_hex(std::string_view bytes) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned len = 0;
  EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr);
  return to_hex(md, len);
}

}  // namespace claret::store::sqlite::fsck
