// Mail address and mailbox-name validation for the store (RFC 5321 §4.1.2/§4.5.3.1, RFC 6531 UTF-8 local parts,
// RFC 1123 §2.1 host names, RFC 9051 §5.1 mailbox names).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::store {

struct Address {
  std::string local;   // as given (case preserved); empty only for a catch-all alias source "@domain"
  std::string domain;  // lower case
  // The lookup key of the local part: ASCII letters folded, UTF-8 bytes kept.
  std::string local_key() const;
  std::string str() const { return local + "@" + domain; }
};

// An LDH host name (labels 1-63, total <= 253, no leading/trailing hyphen); case-insensitive.
bool is_valid_domain(std::string_view domain);
// Lower-cased domain, or Errc::invalid.
Result<std::string> normalize_domain(std::string_view domain);
// "local@domain" with exactly one '@', a non-empty local part of valid UTF-8 without controls or spaces.
Result<Address> parse_address(std::string_view address);
// Like parse_address but also accepts the catch-all form "@domain" (empty local part).
Result<Address> parse_alias_source(std::string_view address);
// user+tag@domain → user@domain; nullopt when there is no '+' or nothing before it.
std::optional<Address> strip_plus_tag(const Address& address);

// Canonical mailbox name: "INBOX" in any case (also as a prefix "inbox/x") becomes "INBOX"; rejects empty names,
// empty hierarchy levels ("a//b", "/a", "a/"), controls, wildcards '*' '%', invalid UTF-8 and names over 1000 bytes.
Result<std::string> normalize_mailbox_name(std::string_view name);
constexpr char kMailboxSeparator = '/';

}  // namespace claret::store
