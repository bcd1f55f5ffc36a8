// GET / and /ui/*: the embedded front end. Text files go out gzip-compressed to browsers that accept it
// (compressed once, at the first request): the first load stays small (issue #7: at most 150 KB).
#include <zlib.h>

#include <vector>

#include "base/strings.hpp"
#include "webmail/server/api.hpp"
#include "webmail/server/embedded_files.hpp"

namespace claret::webmail {
namespace {

std::string_view content_type_for(std::string_view path) {
  auto dot = path.rfind('.');
  std::string ext = dot == std::string_view::npos ? "" : to_lower(path.substr(dot + 1));
  if (ext == "html") return "text/html; charset=utf-8";
  if (ext == "js" || ext == "mjs") return "text/javascript; charset=utf-8";
  if (ext == "css") return "text/css; charset=utf-8";
  if (ext == "json" || ext == "webmanifest") return "application/json; charset=utf-8";
  if (ext == "svg") return "image/svg+xml";
  if (ext == "png") return "image/png";
  if (ext == "ico") return "image/x-icon";
  if (ext == "woff2") return "font/woff2";
  if (ext == "txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

bool compressible(std::string_view type) {
  return type.starts_with("text/") || type.starts_with("application/json") || type == "image/svg+xml";
}

std::string gzip(const unsigned char* data, std::size_t size) {
  z_stream z{};
  if (deflateInit2(&z, 9, Z_DEFLATED, 15 + 16, 9, Z_DEFAULT_STRATEGY) != Z_OK) return {};
  std::string out(deflateBound(&z, size) + 32, '\0');
  z.next_in = const_cast<unsigned char*>(data);
  z.avail_in = static_cast<uInt>(size);
  z.next_out = reinterpret_cast<unsigned char*>(out.data());
  z.avail_out = static_cast<uInt>(out.size());
  int rc = deflate(&z, Z_FINISH);
  out.resize(z.total_out);
  deflateEnd(&z);
  return rc == Z_STREAM_END ? out : std::string();
}

// Compressed copies, index-aligned with kEmbeddedFiles; empty where compression does not pay.
const std::vector<std::string>& gzipped() {
  static const std::vector<std::string> files = [] {
    std::vector<std::string> out(kEmbeddedFileCount);
    for (std::size_t i = 0; i < kEmbeddedFileCount; ++i) {
      const EmbeddedFile& f = kEmbeddedFiles[i];
      if (!compressible(content_type_for(f.path)) || f.size < 512) continue;
      std::string z = gzip(f.data, f.size);
      if (!z.empty() && z.size() < f.size) out[i] = std::move(z);
    }
    return out;
  }();
  return files;
}

bool accepts_gzip(const http::Request& req) {
  auto v = req.header("accept-encoding");
  if (!v) return false;
  std::string lower = to_lower(*v);
  return lower.find("gzip") != std::string::npos && lower.find("gzip;q=0") == std::string::npos &&
         lower.find("gzip; q=0") == std::string::npos;
}

const EmbeddedFile* find(std::string_view path) {
  for (std::size_t i = 0; i < kEmbeddedFileCount; ++i)
    if (kEmbeddedFiles[i].path == path) return &kEmbeddedFiles[i];
  return nullptr;
}

}  // namespace

http::Response static_file(const http::Request& req) {
  std::string_view path = req.path;
  std::string_view rel;
  if (path == "/" || path == "/index.html") rel = "index.html";
  else if (path.starts_with("/ui/")) rel = path.substr(4);
  const EmbeddedFile* file = rel.empty() || rel.find("..") != std::string_view::npos ? nullptr : find(rel);
  if (!file) return http::Response::text(404, "text/plain; charset=utf-8", "not found\n");
  const std::string& compressed = gzipped()[static_cast<std::size_t>(file - kEmbeddedFiles)];
  bool use_gzip = !compressed.empty() && accepts_gzip(req);
  http::Response r = http::Response::text(200, std::string(content_type_for(file->path)),
                                          use_gzip ? compressed : std::string(reinterpret_cast<const char*>(file->data), file->size));
  if (use_gzip) r.set("Content-Encoding", "gzip");
  if (!compressed.empty()) r.set("Vary", "Accept-Encoding");
  r.set("Cache-Control", "no-cache");
  return r;
}

}  // namespace claret::webmail
