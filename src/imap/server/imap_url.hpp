// IMAP URLs naming one message or part in the user's own mailboxes (RFC 5092 subset, as CATENATE uses them,
// RFC 4469 §3): "imap://[user@]host[:port]/mailbox[;UIDVALIDITY=n]/;UID=n[/;SECTION=s][/;PARTIAL=o[.l]]" or the
// same from "/mailbox…" on. URLAUTH parts (";EXPIRE=", ";URLAUTH=") are not accepted.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claret::imap::server {

struct ImapUrl {
  std::string user;                       // from "imap://user@host", percent-decoded; empty when absent
  std::string mailbox;                    // percent-decoded UTF-8
  std::optional<std::uint32_t> uidvalidity;
  std::uint32_t uid = 0;
  std::string section;                    // upper case; empty for the whole message
  std::uint64_t partial_offset = 0;
  std::optional<std::uint64_t> partial_length;
};

// nullopt for anything outside the subset (no UID, a search URL, URLAUTH, bad percent escapes).
std::optional<ImapUrl> parse_imap_url(std::string_view url);

}  // namespace claret::imap::server
