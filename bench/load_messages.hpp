// Test messages for the SMTP load generator: RFC 5322 + MIME (RFC 2045/2046) bodies generated once,
// per-message headers (unique Message-ID, recipient) prepended at send time; SMTP DATA form (RFC 5321 §4.5.2).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claret::bench {

enum class MessageKind {
  kAlternative6k,   // multipart/alternative: text/plain + text/html, about 6 KB
  kAttachment100k,  // multipart/mixed: the alternative above + a base64 application/pdf, about 100 KB
};

// Parses "6k" / "100k"; nullopt on anything else.
std::optional<MessageKind> parse_message_kind(std::string_view text);

// The part of a message that does not change between messages: the MIME headers and the body, already
// in DATA form (CRLF line ends, dot-stuffed) but without the final ".".
class MessageTemplate {
 public:
  // Generated deterministically from `seed`, so every run sends the same bytes.
  MessageTemplate(MessageKind kind, uint64_t seed);

  // One complete DATA payload, terminated by "<CRLF>.<CRLF>": trace-free headers for this message
  // (From, To, Subject, Date, Message-ID) followed by the shared MIME headers and body.
  std::string data_for(std::string_view from, std::string_view to, std::string_view message_id,
                       uint64_t sequence) const;

  size_t body_size() const { return body_.size(); }

 private:
  std::string date_;  // RFC 5322 §3.3 date of generation, shared by every message of the run
  std::string body_;  // MIME-Version and Content-Type headers, blank line, body
};

// "<sequence.nonce@domain>" — unique per message within a run (sequence) and across runs (nonce).
std::string make_message_id(uint64_t sequence, uint64_t nonce, std::string_view domain);

}  // namespace claret::bench
