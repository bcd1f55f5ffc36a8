// Shared helpers of the fuzz targets: an invariant check that aborts (so libFuzzer and the replay runner both
// report it as a crash with the input saved), a UTF-8 validator independent of the code under test, and a
// byte reader for targets that split their input into several arguments.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

// Not assert(): it must stay on in every build type, and it names the broken invariant.
#define FUZZ_CHECK(cond)                                                                              \
  do {                                                                                                \
    if (!(cond)) {                                                                                    \
      std::fprintf(stderr, "fuzz invariant failed: %s (%s:%d)\n", #cond, __FILE__, __LINE__);         \
      std::abort();                                                                                   \
    }                                                                                                 \
  } while (0)

namespace claret::fuzz {

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

// Strict UTF-8 (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF). Written here rather than
// reused from a module so a bug in the module's validator cannot hide a bug in its decoder.
inline bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      n = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      n = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    for (std::size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return false;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += n + 1;
  }
  return true;
}

// Splits a fuzz input into pieces: `byte()` takes one byte (0 when exhausted), `until(sep)` takes up to the next
// separator (consuming it), `rest()` takes everything left.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  std::uint8_t byte() {
    if (pos_ >= data_.size()) return 0;
    return static_cast<std::uint8_t>(data_[pos_++]);
  }
  std::string_view until(char sep) {
    const std::size_t end = data_.find(sep, pos_);
    const std::size_t stop = end == std::string_view::npos ? data_.size() : end;
    std::string_view piece = data_.substr(pos_, stop - pos_);
    pos_ = end == std::string_view::npos ? data_.size() : end + 1;
    return piece;
  }
  std::string_view rest() {
    std::string_view piece = data_.substr(pos_);
    pos_ = data_.size();
    return piece;
  }
  bool empty() const { return pos_ >= data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

}  // namespace claret::fuzz
