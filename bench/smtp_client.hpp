// Minimal blocking SMTP client for the load generator: replies (RFC 5321 §4.2, multiline), EHLO,
// one mail transaction with or without PIPELINING (RFC 2920), QUIT. Every socket operation is bounded.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::bench {

struct Reply {
  int code = 0;                    // three-digit reply code
  std::string text;                // the last line, whole, for error reports
  std::vector<std::string> lines;  // the text after "NNN-" / "NNN " of every line (EHLO keywords)
};

// Splits a byte stream into complete SMTP replies ("250-a" ... "250 z"). Pure, so it is unit tested
// without sockets. A malformed line (no three-digit code) yields a reply with code 0.
class ReplyParser {
 public:
  void feed(std::string_view bytes) { buffer_.append(bytes); }
  // The next complete reply, or nullopt until more bytes arrive.
  std::optional<Reply> next();
  // Bytes held that are not yet part of a complete reply (bounds memory for a hostile peer).
  size_t pending() const { return buffer_.size(); }

 private:
  std::string buffer_;
};

class SmtpClient {
 public:
  // Connects to host:port (numeric IPv4), reads the greeting and sends EHLO. `timeout` bounds every
  // single send and receive.
  static Result<SmtpClient> open(const std::string& host, uint16_t port, std::string_view helo_name,
                                 std::chrono::milliseconds timeout);

  SmtpClient(SmtpClient&& other) noexcept;
  SmtpClient& operator=(SmtpClient&& other) noexcept;
  SmtpClient(const SmtpClient&) = delete;
  SmtpClient& operator=(const SmtpClient&) = delete;
  ~SmtpClient();

  bool pipelining() const { return pipelining_; }

  // AUTH PLAIN (RFC 4954) with the credentials in the initial response; fails unless 235.
  Status auth_plain(std::string_view user, std::string_view password);

  // One transaction: MAIL FROM, RCPT TO, DATA, then `data` (already dot-stuffed and ending in
  // "<CRLF>.<CRLF>"). With PIPELINING the three commands go out in one write (RFC 2920 §3.1).
  // Returns the final reply to the data; a rejected command gives an Error naming it.
  Result<Reply> send_mail(std::string_view from, std::string_view to, std::string_view data);

  // QUIT and wait (bounded) for the 221, then close.
  void quit();

 private:
  explicit SmtpClient(int fd) : fd_(fd) {}
  Status write_all(std::string_view bytes);
  Result<Reply> read_reply();
  void close_fd();

  int fd_ = -1;
  bool pipelining_ = false;
  ReplyParser parser_;
};

}  // namespace claret::bench
