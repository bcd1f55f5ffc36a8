// DATA content reader: end of data and dot-stuffing removal (RFC 5321 §4.1.1.4, §4.5.2), with the SMTP
// smuggling defence of §2.3.8 (only <CRLF>.<CRLF> ends the data; bare CR and LF are flagged).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "smtp/proto/content_scanner.hpp"

namespace claret::smtp::proto {

// Push parser for the bytes that follow "354". Construct it when the DATA command's CRLF has been read:
// that CRLF is the first of the terminating <CRLF>.<CRLF>, so a first line of "." ends an empty message.
//
// Policy on line endings: a bare LF or bare CR never acts as a line terminator here. It is kept in the
// content and flagged (summary().bare_lf / bare_cr), so sequences such as <LF>.<LF>, <LF>.<CRLF>,
// <CR>.<CR>, <CR>.<LF> and <CRLF>.<LF> never end the data, and the server refuses the message after the
// real end (content_rejection gives 550 5.6.0). Receiver and any downstream MTA therefore cannot disagree
// about where the message ends.
class DataReader {
 public:
  explicit DataReader(ContentLimits limits);

  // Consumes bytes up to and including the terminating <CRLF>.<CRLF> and returns how many were used.
  // Bytes after the end belong to the next (pipelined) command and are not consumed; after done(),
  // feed() consumes nothing.
  std::size_t feed(std::string_view bytes);
  bool done() const { return done_; }

  // Message bytes as received (CRLF line endings, dot-stuffing removed), excluding the final ".\r\n".
  // May be taken piecewise while reading (to stream to disk) or once at the end.
  std::string take_content() { return scanner_.take_content(); }
  const std::string& content() const { return scanner_.content(); }
  const ContentSummary& summary() const { return scanner_.summary(); }

 private:
  enum class State { line_start, dot, dot_cr, in_line, cr };

  ContentScanner scanner_;
  State state_ = State::line_start;
  bool done_ = false;
};

}  // namespace claret::smtp::proto
