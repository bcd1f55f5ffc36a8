// Message content accounting shared by DATA and BDAT: size limit (RFC 1870 §6.3, RFC 5321 §4.5.3.1.7),
// text line limit (RFC 5321 §4.5.3.1.6), bare CR/LF detection (RFC 5321 §2.3.8), 8-bit and NUL detection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "smtp/proto/reply.hpp"

namespace claret::smtp::proto {

struct ContentLimits {
  std::uint64_t max_size = 0;                   // octets of message content; 0 = unlimited
  std::size_t max_line_length = 1000;           // incl. CRLF (RFC 5321 §4.5.3.1.6); 0 = unlimited
};

struct ContentSummary {
  std::uint64_t size = 0;        // all content octets, including those not stored after too_large
  bool too_large = false;        // size exceeded max_size: storage stopped, answer 552 5.3.4
  bool line_too_long = false;    // a line exceeded max_line_length (reported, not enforced)
  std::size_t longest_line = 0;  // octets, incl. CRLF
  bool bare_cr = false;          // CR not followed by LF
  bool bare_lf = false;          // LF not preceded by CR
  bool has_8bit = false;         // an octet >= 0x80
  bool has_nul = false;          // an octet 0x00
};

// Receives message content in pieces, accounts for it and stores it until the size limit is passed.
class ContentScanner {
 public:
  explicit ContentScanner(ContentLimits limits);

  void append(std::string_view bytes);
  // Call once the content is complete: a CR at the very end is a bare CR.
  void finish();

  const ContentSummary& summary() const { return summary_; }
  // Stored content not yet taken. Once too_large is set nothing more is stored and the buffer is
  // released, so a hostile client cannot make us hold more than the limit.
  const std::string& content() const { return content_; }
  std::string take_content();

 private:
  ContentLimits limits_;
  ContentSummary summary_;
  std::string content_;
  std::size_t line_length_ = 0;
  bool pending_cr_ = false;
};

// The reply refusing content with this summary after its end, or nullopt if it is acceptable:
// 552 5.3.4 when too large; 550 5.6.0 for a bare CR or LF unless `allow_bare_line_endings` (BDAT with
// BODY=BINARYMIME). An accepted bare LF is what SMTP smuggling exploits, so DATA never allows it. Long lines
// and NUL are reported in the summary and left to policy.
std::optional<Reply> content_rejection(const ContentSummary& summary, bool allow_bare_line_endings);

}  // namespace claret::smtp::proto
