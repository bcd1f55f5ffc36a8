// Message content accounting (RFC 5321 §2.3.8 line endings, §4.5.3.1.6-7 limits, RFC 1870 §6.3 size).
#include "smtp/proto/content_scanner.hpp"

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {

ContentScanner::ContentScanner(ContentLimits limits) : limits_(limits) {}

void ContentScanner::append(std::string_view bytes) {
  if (bytes.empty()) return;
  for (char ch : bytes) {
    auto c = static_cast<unsigned char>(ch);
    ++line_length_;
    if (c == '\n') {
      if (pending_cr_) {
        // A line ends only at CRLF; its length includes the CRLF.
        if (line_length_ > summary_.longest_line) summary_.longest_line = line_length_;
        line_length_ = 0;
      } else {
        summary_.bare_lf = true;
      }
      pending_cr_ = false;
      continue;
    }
    if (pending_cr_) summary_.bare_cr = true;
    pending_cr_ = c == '\r';
    if (c >= 0x80) summary_.has_8bit = true;
    if (c == 0) summary_.has_nul = true;
  }
  // An unterminated line counts too, so one endless line is reported before its CRLF arrives.
  if (line_length_ > summary_.longest_line) summary_.longest_line = line_length_;
  if (limits_.max_line_length != 0 && summary_.longest_line > limits_.max_line_length) summary_.line_too_long = true;

  summary_.size += bytes.size();
  if (summary_.too_large) return;
  if (limits_.max_size != 0 && summary_.size > limits_.max_size) {
    summary_.too_large = true;
    std::string().swap(content_);
    return;
  }
  content_.append(bytes);
}

void ContentScanner::finish() {
  if (pending_cr_) summary_.bare_cr = true;
  pending_cr_ = false;
}

std::string ContentScanner::take_content() {
  std::string out;
  out.swap(content_);
  return out;
}

std::optional<Reply> content_rejection(const ContentSummary& summary, bool allow_bare_line_endings) {
  if (summary.too_large)
    return make_reply(code::kExceededStorage, enhanced::kMessageTooBig, "message exceeds the size limit");
  if (!allow_bare_line_endings && (summary.bare_cr || summary.bare_lf))
    return make_reply(code::kMailboxUnavailable, enhanced::kContentError,
                      "message contains bare CR or LF; lines must end with CRLF");
  return std::nullopt;
}

}  // namespace claret::smtp::proto
