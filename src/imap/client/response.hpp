// One server response (RFC 9051 §7): continuation request, tagged status, or untagged status/data; and the
// framer that assembles a response from lines and literals as they arrive. I/O-free.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/client/value.hpp"

namespace claret::imap::client {

enum class RespStatus { none, ok, no, bad, bye, preauth };

// resp-text-code: "[NAME args]".
struct ResponseCode {
  std::string name;            // upper case, e.g. "UIDVALIDITY", "APPENDUID"; empty when absent
  std::vector<Value> args;
};

struct Response {
  enum class Kind { continuation, tagged, untagged };
  Kind kind = Kind::untagged;
  std::string tag;             // tagged only
  RespStatus status = RespStatus::none;  // tagged, or untagged OK/NO/BAD/BYE/PREAUTH
  ResponseCode code;
  std::string text;            // human-readable text (status responses, continuation)
  // Untagged data: "* 3 EXISTS" → number 3, name "EXISTS"; "* LIST (...) ..." → name "LIST".
  std::optional<std::uint32_t> number;
  std::string name;            // upper case
  std::vector<Value> data;     // everything after the name
};

// Parses one complete response (literals inlined as on the wire, without the final CRLF).
Result<Response> parse_response(std::string_view wire);

// Assembles the wire form of one response: feed_line() with each line (without CRLF); it answers how many
// literal bytes must follow (then call feed_literal()) or nullopt when the response is complete (take()).
class ResponseFramer {
 public:
  explicit ResponseFramer(std::size_t max_literal = 512u << 20) : max_literal_(max_literal) {}
  Result<std::optional<std::size_t>> feed_line(std::string_view line);
  void feed_literal(std::string_view bytes);
  std::string take();

 private:
  std::string wire_;
  std::size_t max_literal_;
};

// The literal length a line announces at its end ("{12}", "{12+}", "~{12}"), if any.
std::optional<std::uint64_t> trailing_literal(std::string_view line);

// "OK", "NO", … for messages.
std::string_view status_name(RespStatus s);

}  // namespace claret::imap::client
