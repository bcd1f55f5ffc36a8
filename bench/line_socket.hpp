// Blocking TCP client socket with a read buffer for the line-based load generators (POP3, IMAP): every call is
// bounded by SO_RCVTIMEO/SO_SNDTIMEO, reads are large (64 KiB) so the client stays cheap next to the server.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::bench {

class LineSocket {
 public:
  // Connects to host:port (numeric IPv4) with TCP_NODELAY; `timeout` bounds every send and receive.
  static Result<LineSocket> connect(const std::string& host, uint16_t port, std::chrono::milliseconds timeout);

  LineSocket(LineSocket&& other) noexcept;
  LineSocket& operator=(LineSocket&& other) noexcept;
  LineSocket(const LineSocket&) = delete;
  LineSocket& operator=(const LineSocket&) = delete;
  ~LineSocket();

  Status write_all(std::string_view bytes);
  // The next line without its CRLF (at most `max` bytes, else an error).
  Result<std::string> read_line(size_t max = 64 * 1024);
  // Everything up to and including `terminator`, searched from `search_from` bytes into the unread data
  // (so a terminator that needs a preceding CRLF can start the search at that CRLF). Bounded by `max` bytes.
  Result<std::string> read_until(std::string_view terminator, size_t max, size_t search_from = 0);
  // Exactly n bytes.
  Result<std::string> read_exact(size_t n);
  void close();
  int fd() const { return fd_; }

 private:
  explicit LineSocket(int fd) : fd_(fd) {}
  Status fill();  // one recv() appended to the buffer

  int fd_ = -1;
  std::string buffer_;
  size_t start_ = 0;  // first unread byte of buffer_
};

}  // namespace claret::bench
