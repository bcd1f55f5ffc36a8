// The front end's files (src/webmail/ui/), compiled into the binary by embed_ui.cmake.
#pragma once

#include <cstddef>
#include <string_view>

namespace claret::webmail {

struct EmbeddedFile {
  std::string_view path;  // relative to src/webmail/ui/, '/'-separated: "index.html", "js/app.js"
  const unsigned char* data;
  std::size_t size;
};

extern const EmbeddedFile kEmbeddedFiles[];
extern const std::size_t kEmbeddedFileCount;

}  // namespace claret::webmail
