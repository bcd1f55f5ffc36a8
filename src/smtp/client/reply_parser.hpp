// Client side of SMTP replies: multi-line reply assembly (RFC 5321 §4.2, §4.2.1), enhanced status codes
// (RFC 3463 §2, RFC 2034 §4) and the EHLO keyword list (RFC 5321 §4.1.1.1 ehlo-ok-rsp). I/O-free.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "smtp/proto/ehlo.hpp"
#include "smtp/proto/reply.hpp"

namespace claret::smtp::client {

// Feeds reply lines (without CRLF) one at a time. A reply is complete at the line whose code is followed by
// a space (or nothing); "250-" lines continue it. Malformed lines (no 3-digit code, or a code that changes
// inside a reply) make feed() fail: the peer is not speaking SMTP and the connection should be dropped.
class ReplyParser {
 public:
  // nullopt while the reply continues; the complete reply at its last line.
  Result<std::optional<proto::Reply>> feed(std::string_view line);
  // Bound the memory a hostile server can make us hold.
  static constexpr size_t kMaxLines = 256;

 private:
  proto::Reply pending_;
  bool in_reply_ = false;
};

// The reply's text lines joined with spaces, prefixed by code and enhanced code: "550 5.1.1 no such user".
std::string reply_summary(const proto::Reply& reply);

// EHLO keywords (RFC 5321 §4.1.1.1; RFC 2920, 1870, 6152, 6531, 2034, 3030, 3461, 3207, 4954). The first line
// is the server's greeting name and carries no keyword. Unknown keywords are ignored.
proto::Capabilities parse_ehlo(const proto::Reply& reply);

}  // namespace claret::smtp::client
