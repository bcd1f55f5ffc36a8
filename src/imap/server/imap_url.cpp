// IMAP URL subset (RFC 5092 §6 grammar: imapurl, icommand = imessagepart, enc-mailbox, uidvalidity, iuid,
// isection, ipartial).
#include "imap/server/imap_url.hpp"

#include "base/strings.hpp"

namespace claret::imap::server {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// "%XX" escapes (RFC 3986 §2.1); NUL and malformed escapes are refused.
std::optional<std::string> percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    if (i + 2 >= s.size()) return std::nullopt;  // needs two hex digits
    int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
    if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

std::optional<std::uint64_t> number(std::string_view s) {
  if (s.empty() || s.size() > 19) return std::nullopt;
  for (char c : s)
    if (c < '0' || c > '9') return std::nullopt;
  return parse_u64(s);
}

std::optional<std::uint32_t> nz_number32(std::string_view s) {
  auto n = number(s);
  if (!n || *n == 0 || *n > 0xffffffffull) return std::nullopt;
  return static_cast<std::uint32_t>(*n);
}

// "NAME=value" with a case-insensitive name: the value, or nullopt when the name differs.
std::optional<std::string_view> param(std::string_view s, std::string_view name) {
  if (s.size() <= name.size() || s[name.size()] != '=' || !iequals(s.substr(0, name.size()), name))
    return std::nullopt;
  return s.substr(name.size() + 1);
}

}  // namespace

std::optional<ImapUrl> parse_imap_url(std::string_view url) {
  ImapUrl u;
  if (url.size() >= 7 && iequals(url.substr(0, 7), "imap://")) {
    url.remove_prefix(7);
    std::size_t slash = url.find('/');
    if (slash == std::string_view::npos) return std::nullopt;
    std::string_view server = url.substr(0, slash);
    std::size_t at = server.rfind('@');
    if (at != std::string_view::npos) {
      std::string_view user = server.substr(0, at);
      if (user.find(';') != std::string_view::npos) return std::nullopt;  // ";AUTH=" is not needed here
      auto decoded = percent_decode(user);
      if (!decoded) return std::nullopt;
      u.user = std::move(*decoded);
    }
    url.remove_prefix(slash);
  }
  if (url.empty() || url[0] != '/') return std::nullopt;
  url.remove_prefix(1);
  // enc-mailbox [uidvalidity] "/" ";UID=" … : the mailbox ends at ";UIDVALIDITY=" or at "/;UID=".
  std::size_t uid_at = std::string_view::npos;
  for (std::size_t i = 0; i + 5 < url.size(); ++i) {
    if (url[i] == '/' && url[i + 1] == ';' && iequals(url.substr(i + 2, 4), "UID=")) {
      uid_at = i;
      break;
    }
  }
  if (uid_at == std::string_view::npos) return std::nullopt;
  std::string_view box = url.substr(0, uid_at);
  std::size_t semi = box.find(';');
  if (semi != std::string_view::npos) {
    auto v = param(box.substr(semi + 1), "UIDVALIDITY");
    if (!v) return std::nullopt;
    u.uidvalidity = nz_number32(*v);
    if (!u.uidvalidity) return std::nullopt;
    box = box.substr(0, semi);
  }
  auto mailbox = percent_decode(box);
  if (!mailbox || mailbox->empty()) return std::nullopt;
  u.mailbox = std::move(*mailbox);
  std::string_view rest = url.substr(uid_at + 2);  // "UID=n[/;SECTION=…][/;PARTIAL=…]"
  bool first = true;
  while (!rest.empty()) {
    std::size_t next = rest.find("/;");
    std::string_view item = rest.substr(0, next);
    rest = next == std::string_view::npos ? std::string_view() : rest.substr(next + 2);
    if (first) {
      auto v = param(item, "UID");
      if (!v) return std::nullopt;
      auto uid = nz_number32(*v);
      if (!uid) return std::nullopt;
      u.uid = *uid;
      first = false;
    } else if (auto s = param(item, "SECTION")) {
      auto decoded = percent_decode(*s);
      if (!decoded || decoded->empty() || !u.section.empty()) return std::nullopt;
      u.section = to_upper(*decoded);
    } else if (auto p = param(item, "PARTIAL")) {
      std::size_t dot = p->find('.');
      auto off = number(p->substr(0, dot));
      if (!off) return std::nullopt;
      u.partial_offset = *off;
      if (dot != std::string_view::npos) {
        auto len = number(p->substr(dot + 1));
        if (!len || *len == 0) return std::nullopt;
        u.partial_length = *len;
      }
    } else {
      return std::nullopt;  // ;EXPIRE=, ;URLAUTH= and anything unknown
    }
  }
  return u;
}

}  // namespace claret::imap::server
