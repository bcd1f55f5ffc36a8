// SASLprep mapping (RFC 4013 §2.1): RFC 3454 tables C.1.2 (non-ASCII space) and B.1 (mapped to nothing).
#include "auth/saslprep.hpp"

#include <cstdint>
#include <optional>

namespace claret::auth {

namespace {

bool is_non_ascii_space(uint32_t cp) {
  return cp == 0x00A0 || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200B) || cp == 0x202F || cp == 0x205F ||
         cp == 0x3000;
}

bool is_mapped_to_nothing(uint32_t cp) {
  return cp == 0x00AD || cp == 0x034F || cp == 0x1806 || (cp >= 0x180B && cp <= 0x180D) ||
         (cp >= 0x200C && cp <= 0x200D) || cp == 0x2060 || (cp >= 0xFE00 && cp <= 0xFE0F) || cp == 0xFEFF;
}

struct CodePoint {
  uint32_t value;
  size_t length;  // bytes consumed
};

// Decodes one UTF-8 sequence (RFC 3629 §4: shortest form, no surrogates, at most U+10FFFF).
std::optional<CodePoint> decode_one(std::string_view s) {
  auto b = [&](size_t i) { return static_cast<uint8_t>(s[i]); };
  uint8_t lead = b(0);
  if (lead < 0x80) return CodePoint{lead, 1};
  size_t len = 0;
  uint32_t cp = 0;
  uint32_t min = 0;
  if ((lead & 0xE0) == 0xC0) { len = 2; cp = lead & 0x1F; min = 0x80; }
  else if ((lead & 0xF0) == 0xE0) { len = 3; cp = lead & 0x0F; min = 0x800; }
  else if ((lead & 0xF8) == 0xF0) { len = 4; cp = lead & 0x07; min = 0x10000; }
  else return std::nullopt;
  if (s.size() < len) return std::nullopt;
  for (size_t i = 1; i < len; ++i) {
    if ((b(i) & 0xC0) != 0x80) return std::nullopt;
    cp = (cp << 6) | (b(i) & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return std::nullopt;
  return CodePoint{cp, len};
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  while (!s.empty()) {
    auto cp = decode_one(s);
    if (!cp) return false;
    s.remove_prefix(cp->length);
  }
  return true;
}

std::string saslprep_map(std::string_view password) {
  std::string out;
  out.reserve(password.size());
  std::string_view rest = password;
  while (!rest.empty()) {
    auto cp = decode_one(rest);
    if (!cp) return std::string(password);
    if (is_non_ascii_space(cp->value)) {
      out += ' ';
    } else if (!is_mapped_to_nothing(cp->value)) {
      out.append(rest.substr(0, cp->length));
    }
    rest.remove_prefix(cp->length);
  }
  return out;
}

}  // namespace claret::auth
