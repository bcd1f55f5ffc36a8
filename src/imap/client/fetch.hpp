// FETCH response data (RFC 9051 §7.5.2): ENVELOPE, BODYSTRUCTURE, BODY[section]<origin>, BINARY[section],
// UID, FLAGS, INTERNALDATE, RFC822.SIZE, MODSEQ (RFC 7162), PREVIEW (RFC 8970), EMAILID/THREADID ignored.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "imap/client/value.hpp"

namespace claret::imap::client {

struct EnvelopeAddress {
  std::string name;     // raw (may hold RFC 2047 encoded words)
  std::string mailbox;  // local part
  std::string host;
  std::string email() const { return host.empty() ? mailbox : mailbox + "@" + host; }
};

struct Envelope {
  std::string date, subject;  // raw
  std::vector<EnvelopeAddress> from, sender, reply_to, to, cc, bcc;
  std::string in_reply_to, message_id;
};

struct BodyPart {
  std::string type, subtype;                               // lower case
  std::vector<std::pair<std::string, std::string>> params; // names lower case
  std::string id, description, encoding;                   // encoding lower case
  std::uint64_t size = 0, lines = 0;
  std::string disposition;                                 // lower case, empty when absent
  std::vector<std::pair<std::string, std::string>> disposition_params;
  std::string section;                                     // "1", "1.2"; "" for the root multipart
  std::vector<BodyPart> parts;                             // multipart children, or the body of message/rfc822
  bool multipart() const { return type == "multipart"; }
  std::string param(std::string_view name) const;
  std::string disposition_param(std::string_view name) const;
};

struct FetchData {
  std::uint32_t seq = 0;
  std::optional<std::uint32_t> uid;
  std::optional<std::vector<std::string>> flags;
  std::string internaldate;                       // raw date-time
  std::optional<std::uint64_t> size;
  std::optional<std::uint64_t> modseq;
  std::optional<Envelope> envelope;
  std::optional<BodyPart> bodystructure;
  std::optional<std::string> preview;
  // "BODY[1.2]" / "BINARY[2]" / "BODY[HEADER.FIELDS (X)]" (upper case, origin stripped) → bytes (NIL → "").
  std::map<std::string, std::string> sections;
};

// Reads the msg-att list of "* n FETCH (...)".
Result<FetchData> parse_fetch(std::uint32_t seq, const Value& list);
Result<Envelope> parse_envelope(const Value& v);
// Parses BODY/BODYSTRUCTURE and numbers the sections.
Result<BodyPart> parse_bodystructure(const Value& v);

}  // namespace claret::imap::client
