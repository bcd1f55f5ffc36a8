// Modified UTF-7 (RFC 3501 §5.1.3), UTF8=ACCEPT names (RFC 6855 §3), INBOX (RFC 9051 §5.1) and name validation.
#include "imap/proto/mailbox_name.hpp"

#include <cstdint>
#include <vector>

#include "base/strings.hpp"
#include "base/utf8.hpp"

namespace claret::imap::proto {
namespace {

constexpr char kB64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+,";

int b64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == ',') return 63;
  return -1;
}

bool is_printable_ascii(std::uint32_t c) { return c >= 0x20 && c <= 0x7e; }


// Next code point of valid UTF-8 at s[i]; -1 on invalid (overlong, surrogate, > U+10FFFF, truncated).
long next_code_point(std::string_view s, std::size_t& i) {
  auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) {
    ++i;
    return c;
  }
  std::size_t len;
  std::uint32_t cp;
  std::uint32_t min;
  if ((c & 0xe0) == 0xc0) {
    len = 2, cp = c & 0x1f, min = 0x80;
  } else if ((c & 0xf0) == 0xe0) {
    len = 3, cp = c & 0x0f, min = 0x800;
  } else if ((c & 0xf8) == 0xf0) {
    len = 4, cp = c & 0x07, min = 0x10000;
  } else {
    return -1;
  }
  if (i + len > s.size()) return -1;
  for (std::size_t k = 1; k < len; ++k) {
    if ((b(i + k) & 0xc0) != 0x80) return -1;
    cp = (cp << 6) | (b(i + k) & 0x3f);
  }
  if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return -1;
  i += len;
  return static_cast<long>(cp);
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size())
    if (next_code_point(s, i) < 0) return false;
  return true;
}

Result<std::string> mutf7_decode(std::string_view wire) {
  std::string out;
  std::size_t i = 0;
  while (i < wire.size()) {
    char c = wire[i];
    if (!is_printable_ascii(static_cast<unsigned char>(c))) return make_error("Invalid character in mailbox name");
    if (c != '&') {
      out += c;
      ++i;
      continue;
    }
    ++i;
    if (i < wire.size() && wire[i] == '-') {
      out += '&';
      ++i;
      continue;
    }
    // Modified base64 of UTF-16BE up to '-'.
    std::uint32_t bits = 0;
    int nbits = 0;
    std::vector<std::uint16_t> units;
    while (i < wire.size() && wire[i] != '-') {
      int v = b64_value(wire[i]);
      if (v < 0) return make_error("Invalid modified UTF-7 in mailbox name");
      bits = (bits << 6) | static_cast<std::uint32_t>(v);
      nbits += 6;
      if (nbits >= 16) {
        nbits -= 16;
        units.push_back(static_cast<std::uint16_t>((bits >> nbits) & 0xffff));
        bits &= (1u << nbits) - 1;
      }
      ++i;
    }
    if (i >= wire.size()) return make_error("Unterminated modified UTF-7 in mailbox name");
    ++i;  // '-'
    if (units.empty() || nbits >= 6 || bits != 0) return make_error("Invalid modified UTF-7 padding in mailbox name");
    for (std::size_t k = 0; k < units.size(); ++k) {
      std::uint32_t u = units[k];
      std::uint32_t cp;
      if (u >= 0xd800 && u <= 0xdbff) {
        if (k + 1 >= units.size() || units[k + 1] < 0xdc00 || units[k + 1] > 0xdfff)
          return make_error("Unpaired surrogate in mailbox name");
        cp = 0x10000 + ((u - 0xd800) << 10) + (units[k + 1] - 0xdc00);
        ++k;
      } else if (u >= 0xdc00 && u <= 0xdfff) {
        return make_error("Unpaired surrogate in mailbox name");
      } else {
        cp = u;
      }
      if (is_printable_ascii(cp)) return make_error("Modified UTF-7 encodes printable ASCII");
      append_utf8(out, cp);
    }
  }
  return out;
}

Result<std::string> mutf7_encode(std::string_view utf8) {
  std::string out;
  std::vector<std::uint16_t> run;
  auto flush = [&]() {
    if (run.empty()) return;
    out += '&';
    std::uint32_t bits = 0;
    int nbits = 0;
    for (std::uint16_t u : run) {
      bits = (bits << 16) | u;
      nbits += 16;
      while (nbits >= 6) {
        nbits -= 6;
        out += kB64[(bits >> nbits) & 0x3f];
      }
      bits &= (1u << nbits) - 1;
    }
    if (nbits > 0) out += kB64[(bits << (6 - nbits)) & 0x3f];
    out += '-';
    run.clear();
  };
  std::size_t i = 0;
  while (i < utf8.size()) {
    long cp = next_code_point(utf8, i);
    if (cp < 0) return make_error("Invalid UTF-8 in mailbox name");
    if (is_printable_ascii(static_cast<std::uint32_t>(cp))) {
      flush();
      out += static_cast<char>(cp);
      if (cp == '&') out += '-';
    } else if (cp >= 0x10000) {
      std::uint32_t v = static_cast<std::uint32_t>(cp) - 0x10000;
      run.push_back(static_cast<std::uint16_t>(0xd800 + (v >> 10)));
      run.push_back(static_cast<std::uint16_t>(0xdc00 + (v & 0x3ff)));
    } else {
      run.push_back(static_cast<std::uint16_t>(cp));
    }
  }
  flush();
  return out;
}

std::string normalize_inbox(std::string name) {
  if (name.size() >= 5 && iequals(std::string_view(name).substr(0, 5), "INBOX") &&
      (name.size() == 5 || name[5] == kHierarchySeparator)) {
    for (std::size_t k = 0; k < 5; ++k) name[k] = ascii_upper(name[k]);
  }
  return name;
}

Result<std::string> decode_mailbox(std::string_view wire, bool utf8_accept) {
  if (utf8_accept) {
    if (!is_valid_utf8(wire)) return make_error("Mailbox name is not valid UTF-8");
    return normalize_inbox(std::string(wire));
  }
  auto decoded = mutf7_decode(wire);
  if (!decoded) return decoded.error();
  return normalize_inbox(std::move(decoded.value()));
}

std::string encode_mailbox(std::string_view utf8, bool utf8_accept) {
  if (utf8_accept) return std::string(utf8);
  auto r = mutf7_encode(utf8);
  // Names from the store are valid UTF-8; an invalid one is sent byte-for-byte rather than dropped.
  return r ? std::move(r.value()) : std::string(utf8);
}

Status validate_mailbox_name(std::string_view name) {
  if (name.empty()) return make_error("Empty mailbox name");
  if (name.size() > kMaxMailboxNameBytes) return make_error("Mailbox name too long");
  std::size_t i = 0;
  while (i < name.size()) {
    long cp = next_code_point(name, i);
    if (cp < 0) return make_error("Mailbox name is not valid UTF-8");
    if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) return make_error("Control character in mailbox name");
    if (cp == '%' || cp == '*') return make_error("Wildcard in mailbox name");
  }
  std::size_t depth = 0;
  for (std::string_view part : split(name, kHierarchySeparator)) {
    if (part.empty()) return make_error("Empty hierarchy level in mailbox name");
    if (part == "." || part == "..") return make_error("Invalid hierarchy level in mailbox name");
    if (++depth > kMaxMailboxDepth) return make_error("Mailbox name too deep");
  }
  return {};
}

}  // namespace claret::imap::proto
