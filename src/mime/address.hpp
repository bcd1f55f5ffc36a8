// Address parsing: RFC 5322 §3.4 (mailbox, name-addr, angle-addr, group, addr-spec), §4.4 (obsolete routes,
// obs-phrase, obs-local-part), RFC 2047 §5 (3) encoded words in display names, RFC 6532 (UTF-8).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace claret::mime {

struct Address {
  enum class Kind { kMailbox, kGroupStart, kGroupEnd };
  Kind kind = Kind::kMailbox;
  std::string raw_name;    // display name (or group name) as written: quotes and escapes removed, not decoded
  std::string name;        // raw_name with RFC 2047 words decoded, UTF-8
  std::string route;       // obsolete source route ("@a,@b"), without the trailing ':'
  std::string local_part;  // as written, quoted local parts keep their quotes
  std::string domain;      // empty when the address has none

  // local@domain (or just the local part when there is no domain).
  std::string addr_spec() const;
};

// Parses an address-list / mailbox-list field value (folded or not). Groups appear as a kGroupStart entry, the
// group's mailboxes, then a kGroupEnd entry. Never fails; junk that is no address is skipped.
std::vector<Address> parse_address_list(std::string_view value);

// Only the kMailbox entries of parse_address_list (groups flattened).
std::vector<Address> parse_mailboxes(std::string_view value);

}  // namespace claret::mime
