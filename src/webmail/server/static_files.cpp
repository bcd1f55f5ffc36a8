// GET / and /ui/*: the embedded front end.
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
  http::Response r = http::Response::text(200, std::string(content_type_for(file->path)),
                                          std::string(reinterpret_cast<const char*>(file->data), file->size));
  r.set("Cache-Control", "no-cache");
  return r;
}

}  // namespace claret::webmail
