// Builds an RFC 5322 message from what a user composed in the webmail: addresses as typed, UTF-8 header
// text (RFC 2047 encoded words), text or text+HTML (multipart/alternative, RFC 2046 §5.1.4), attachments
// (base64) and an optional forwarded message (message/rfc822, RFC 2046 §5.2.1). CRLF line ends throughout.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::mime {

struct OutgoingAttachment {
  std::string filename;      // UTF-8 (RFC 2231 encoded when needed)
  std::string content_type;  // "type/subtype"; anything unparseable becomes application/octet-stream
  std::string data;          // raw bytes
};

struct MessageDraft {
  std::string from;                         // "Name <a@b>" or "a@b"
  std::vector<std::string> to, cc, bcc;     // as typed
  std::vector<std::string> reply_to;        // as typed; Reply-To: when not empty
  std::string subject;                      // UTF-8
  std::string text;                         // UTF-8, any line ends
  std::string html;                         // optional UTF-8 HTML alternative
  std::string in_reply_to;                  // "<id>" (brackets added when missing)
  std::string references;                   // space-separated "<id>" list
  std::vector<OutgoingAttachment> attachments;
  std::optional<std::string> forwarded;     // a whole message attached as message/rfc822
  std::string message_id_domain = "localhost";
  int64_t date = 0;                         // unix seconds; 0 = now
  bool keep_bcc = false;                    // drafts keep Bcc; sent copies never carry it
};

struct BuiltMessage {
  std::string message;                  // the RFC 5322 bytes
  std::string envelope_from;            // addr-spec of From
  std::vector<std::string> recipients;  // addr-specs of To, Cc and Bcc, duplicates removed
  std::string message_id;               // with angle brackets
};

// Error (code 400) names the address that could not be parsed, e.g. "bad address in To: \"bob@\"".
Result<BuiltMessage> build_message(const MessageDraft& draft);

// An unstructured header value as RFC 2047 encoded words when it is not plain printable ASCII, folded.
std::string encode_header_text(std::string_view utf8, size_t name_length);
// A mailbox for a header field: phrase quoted or encoded, "name <addr>" (or just addr without a name).
std::string format_mailbox(std::string_view display_name, std::string_view addr_spec);
// Quoted-printable (RFC 2045 §6.7) with CRLF line ends and soft breaks at 76 characters.
std::string qp_encode(std::string_view text);
// RFC 5322 §3.3 date-time in UTC.
std::string format_rfc5322_date(int64_t unix_seconds);

}  // namespace claret::mime
