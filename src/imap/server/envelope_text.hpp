// The searchable text of a stored ENVELOPE: SEARCH SUBJECT/FROM/TO/CC/BCC are defined on "the envelope
// structure's ... field" (RFC 3501 and RFC 9051 §6.4.4), so they are answered from the ENVELOPE the store
// computed at delivery instead of reading every candidate's header from its blob (a 100 KB message was read
// whole to look at one line; SEARCH SUBJECT was half of the server's CPU in the mixed IMAP benchmark).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claret::imap::server {

struct EnvelopeText {
  std::string subject;  // RFC 2047-decoded
  // Each address as `Name <mailbox@host>` (name decoded; group names included), joined by ", ".
  std::string from, to, cc, bcc;
};

// nullopt when `envelope` is not a well-formed ENVELOPE (the caller falls back to the header).
std::optional<EnvelopeText> envelope_text(std::string_view envelope);

}  // namespace claret::imap::server
