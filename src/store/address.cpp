// Address and mailbox-name validation (RFC 5321 §4.1.2, RFC 6531 §3.3, RFC 1123 §2.1, RFC 9051 §5.1).
#include "store/address.hpp"

#include "base/strings.hpp"
#include "store/errc.hpp"

namespace claret::store {
namespace {

// Well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF), and no C0/DEL controls.
bool valid_utf8_no_controls(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      if (c < 0x20 || c == 0x7f) return false;
      ++i;
      continue;
    }
    int len = 0;
    uint32_t cp = 0;
    if ((c & 0xe0) == 0xc0) { len = 2; cp = c & 0x1f; }
    else if ((c & 0xf0) == 0xe0) { len = 3; cp = c & 0x0f; }
    else if ((c & 0xf8) == 0xf0) { len = 4; cp = c & 0x07; }
    else return false;
    if (i + len > s.size()) return false;
    for (int k = 1; k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000)) return false;
    if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += len;
  }
  return true;
}

bool valid_local(std::string_view local) {
  // RFC 5321 §4.5.3.1.1 limits the local part to 64 octets; RFC 6531 keeps that limit in octets.
  if (local.empty() || local.size() > 64) return false;
  for (char c : local)
    if (c == ' ' || c == '@' || c == '\t') return false;
  return valid_utf8_no_controls(local);
}

Result<Address> split_address(std::string_view address, bool allow_empty_local) {
  size_t at = address.find('@');
  if (at == std::string_view::npos || address.find('@', at + 1) != std::string_view::npos)
    return store_error(Errc::invalid, "address must contain exactly one '@'");
  std::string_view local = address.substr(0, at);
  auto domain = normalize_domain(address.substr(at + 1));
  if (!domain) return domain.error();
  if (!(local.empty() && allow_empty_local) && !valid_local(local))
    return store_error(Errc::invalid, "invalid local part");
  return Address{std::string(local), std::move(*domain)};
}

}  // namespace

std::string Address::local_key() const { return to_lower(local); }

bool is_valid_domain(std::string_view domain) {
  if (domain.empty() || domain.size() > 253) return false;
  for (std::string_view label : split(domain, '.')) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
      if (!ok) return false;
    }
  }
  return true;
}

Result<std::string> normalize_domain(std::string_view domain) {
  if (!is_valid_domain(domain)) return store_error(Errc::invalid, "invalid domain name");
  return to_lower(domain);
}

Result<Address> parse_address(std::string_view address) { return split_address(address, false); }

Result<Address> parse_alias_source(std::string_view address) { return split_address(address, true); }

std::optional<Address> strip_plus_tag(const Address& address) {
  size_t plus = address.local.find('+');
  if (plus == std::string::npos || plus == 0) return std::nullopt;
  return Address{address.local.substr(0, plus), address.domain};
}

Result<std::string> normalize_mailbox_name(std::string_view name) {
  if (name.empty() || name.size() > 1000) return store_error(Errc::invalid, "mailbox name empty or too long");
  if (!valid_utf8_no_controls(name)) return store_error(Errc::invalid, "mailbox name is not valid UTF-8 text");
  if (name.find_first_of("*%") != std::string_view::npos)
    return store_error(Errc::invalid, "mailbox name contains a wildcard");
  for (std::string_view level : split(name, kMailboxSeparator))
    if (level.empty()) return store_error(Errc::invalid, "mailbox name has an empty hierarchy level");
  std::string out(name);
  // RFC 9051 §5.1: INBOX is case-insensitive, and so is the INBOX prefix of its children.
  if (istarts_with(out, "INBOX") && (out.size() == 5 || out[5] == kMailboxSeparator))
    for (size_t i = 0; i < 5; ++i) out[i] = ascii_upper(out[i]);
  return out;
}

}  // namespace claret::store
