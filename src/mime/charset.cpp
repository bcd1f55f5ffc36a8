// Charset conversion to UTF-8 with iconv (RFC 2045 §5.1, RFC 2047 §3, RFC 2231 §4) and UTF-8 validation (RFC 3629).
#include "mime/charset.hpp"

#include <iconv.h>

#include <cerrno>

#include "base/strings.hpp"

namespace claret::mime {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is invalid (overlongs, surrogates and
// code points above U+10FFFF are invalid per RFC 3629 §4).
size_t utf8_sequence_length(std::string_view s, size_t i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) return 1;
  size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    len = 2;
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    len = 3;
    if (b0 == 0xE0) lo = 0xA0;
    if (b0 == 0xED) hi = 0x9F;
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    len = 4;
    if (b0 == 0xF0) lo = 0x90;
    if (b0 == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > s.size()) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  for (size_t k = 2; k < len; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if (b < 0x80 || b > 0xBF) return 0;
  }
  return len;
}

bool is_ascii(std::string_view s) {
  for (char c : s)
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  return true;
}

// Charsets whose ASCII bytes do not mean ASCII (stateful or wide encodings) must always go through iconv.
bool ascii_is_identity(std::string_view cs) {
  return !(istarts_with(cs, "utf-7") || istarts_with(cs, "utf-16") || istarts_with(cs, "utf-32") ||
           istarts_with(cs, "ucs-") || istarts_with(cs, "iso-2022") || istarts_with(cs, "hz"));
}

// Names seen in real mail that glibc does not know, or that WHATWG says to read as a superset.
std::string canonical_charset(std::string cs) {
  if (cs == "iso-8859-1" || cs == "latin1" || cs == "iso8859-1" || cs == "iso_8859-1") return "CP1252";
  if (cs == "ks_c_5601-1987" || cs == "ks_c_5601" || cs == "euc-kr") return "CP949";
  if (cs == "x-sjis" || cs == "shift-jis" || cs == "sjis") return "SHIFT_JIS";
  if (cs == "gb2312" || cs == "gbk" || cs == "x-gbk") return "GB18030";
  if (cs == "iso-8859-8-i") return "ISO-8859-8";
  if (cs == "x-mac-roman" || cs == "macintosh") return "MACINTOSH";
  if (cs == "utf-7" || cs == "unicode-1-1-utf-7") return "UTF-7";
  return cs;
}

}  // namespace

bool is_valid_utf8(std::string_view bytes) {
  for (size_t i = 0; i < bytes.size();) {
    const size_t n = utf8_sequence_length(bytes, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string sanitize_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  for (size_t i = 0; i < bytes.size();) {
    const size_t n = utf8_sequence_length(bytes, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
    } else {
      out.append(bytes.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view utf8_truncate_bytes(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  // Back up over continuation bytes so the cut lands before a lead byte.
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string_view utf8_prefix(std::string_view s, size_t max_chars) {
  size_t i = 0, chars = 0;
  while (i < s.size() && chars < max_chars) {
    ++i;
    while (i < s.size() && (static_cast<unsigned char>(s[i]) & 0xC0) == 0x80) ++i;
    ++chars;
  }
  return s.substr(0, i);
}

std::string to_utf8(std::string_view bytes, std::string_view charset) {
  std::string cs = to_lower(trim(charset));
  if (cs.size() >= 2 && cs.front() == '"' && cs.back() == '"') cs = cs.substr(1, cs.size() - 2);
  if (cs.empty() || cs == "us-ascii" || cs == "ascii" || cs == "utf-8" || cs == "utf8" || cs == "unknown-8bit" ||
      cs == "x-unknown" || cs == "default")
    return sanitize_utf8(bytes);
  if (is_ascii(bytes) && ascii_is_identity(cs)) return std::string(bytes);

  const std::string name = canonical_charset(cs);
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return sanitize_utf8(bytes);

  std::string out;
  out.reserve(bytes.size() + bytes.size() / 2);
  char buffer[4096];
  char* in = const_cast<char*>(bytes.data());
  size_t in_left = bytes.size();
  while (in_left > 0) {
    char* dst = buffer;
    size_t dst_left = sizeof(buffer);
    const size_t rc = iconv(cd, &in, &in_left, &dst, &dst_left);
    out.append(buffer, static_cast<size_t>(dst - buffer));
    if (rc != static_cast<size_t>(-1)) break;
    if (errno == E2BIG) continue;
    // EILSEQ (invalid byte) or EINVAL (truncated sequence at the end): replace one byte and go on.
    out += kReplacement;
    ++in;
    --in_left;
    iconv(cd, nullptr, nullptr, nullptr, nullptr);
  }
  char* dst = buffer;
  size_t dst_left = sizeof(buffer);
  iconv(cd, nullptr, nullptr, &dst, &dst_left);
  out.append(buffer, static_cast<size_t>(dst - buffer));
  iconv_close(cd);
  // iconv's output is not always valid UTF-8: glibc's own UTF-8 decoder, reached through names the fast path
  // above does not catch ("utf-8)", "UTF8;", "ISO-10646/UTF8/"), passes sequences above U+10FFFF through.
  if (!is_valid_utf8(out)) return sanitize_utf8(out);
  return out;
}

}  // namespace claret::mime
