// Streaming encoder for RETR and TOP bodies: CRLF line endings and byte-stuffing of lines starting with '.'
// (RFC 1939 §3), the TOP cut after the header and n body lines (RFC 1939 §7), and the ".\r\n" terminator.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace claret::pop3::proto {

// Push encoder: feed the stored message in chunks of any size (split anywhere, even between CR and LF), then
// call finish(). Messages stored with CRLF come out byte-identical apart from the stuffing; a bare LF becomes
// CRLF so the client always sees well-formed lines; a bare CR inside a line is passed through. A message not
// ending with a line break gets a CRLF before the terminator, as RFC 1939 §3 requires.
class MessageEncoder {
 public:
  // body_lines: nullopt for RETR (whole message); n for TOP (header, blank line, then at most n body lines).
  explicit MessageEncoder(std::optional<std::uint64_t> body_lines = std::nullopt);

  // The encoded form of the next chunk (empty once done()).
  std::string encode(std::string_view chunk);
  // The same, appended to `out` (lets a caller build a whole response in one buffer, without a copy per chunk).
  void encode_to(std::string& out, std::string_view chunk);
  // The end of the response: any pending line end, then ".\r\n". Call once.
  std::string finish();
  void finish_to(std::string& out);
  // True once TOP has emitted all it will: the caller may stop reading the message.
  bool done() const { return done_; }

 private:
  void encode_whole_lines(std::string& out, std::string_view chunk);
  void encode_counting_lines(std::string& out, std::string_view chunk);
  void content(std::string& out, std::string_view bytes);
  void end_line(std::string& out);

  std::optional<std::uint64_t> body_lines_;
  std::uint64_t body_lines_sent_ = 0;
  bool at_line_start_ = true;
  bool pending_cr_ = false;  // a CR was seen and the next byte decides whether it ends the line
  bool in_header_ = true;
  std::uint64_t line_bytes_ = 0;
  bool done_ = false;
};

// RETR of a whole message already copied into `out` from offset `from` on (after its status line): turns it into
// its transfer form and appends the terminator, giving the same bytes as MessageEncoder. A stored message nearly
// always has CRLF line ends only and no line starting with '.': then it is checked in place and only ".\r\n" is
// appended, so the response is built with the one copy the store made (no second copy through the encoder).
void encode_whole_in_place(std::string& out, std::size_t from);

// True when `message` goes on the wire unchanged before the terminator: empty, or ending with CRLF, every LF
// preceded by CR, and no line starting with '.'.
bool is_transfer_ready(std::string_view message);

}  // namespace claret::pop3::proto
