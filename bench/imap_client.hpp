// Minimal blocking IMAP4rev1 client for the load generators (RFC 3501): tagged commands, untagged responses with
// literals ({N} / {N+}) read whole, continuation requests ("+ ..."). Every socket call is bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "line_socket.hpp"

namespace claret::bench {

struct ImapResponse {
  std::string status;                  // "OK", "NO" or "BAD" of the tagged line
  std::string text;                    // the tagged line, for error reports
  std::vector<std::string> untagged;   // "* ..." responses, literals inlined
  uint64_t bytes = 0;                  // everything read for this command
};

// "true" when `line` ends with a literal announcement; `size` is N of "{N}" or "{N+}".
bool ends_with_literal(std::string_view line, uint64_t& size);

class ImapClient {
 public:
  // Connects and reads the greeting ("* OK").
  static Result<ImapClient> open(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

  // Sends "TAG command" and reads up to the tagged response. An error only for I/O or a malformed stream;
  // NO/BAD come back in `status`.
  Result<ImapResponse> command(std::string_view command);
  // Like command(), but fails unless the status is OK.
  Result<ImapResponse> ok(std::string_view command);

  // IDLE (RFC 2177): sends the command and waits for the "+" continuation.
  Status start_idle();
  // DONE and the tagged OK of the IDLE.
  Status end_idle();

  void close() { sock_.close(); }

 private:
  explicit ImapClient(LineSocket sock) : sock_(std::move(sock)) {}
  Result<std::string> read_response_line(uint64_t& bytes);  // one logical line, literals inlined

  LineSocket sock_;
  uint64_t next_tag_ = 1;
  std::string idle_tag_;
};

}  // namespace claret::bench
