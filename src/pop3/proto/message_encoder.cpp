// RETR/TOP body encoding: CRLF lines, byte-stuffing and termination (RFC 1939 §3, §7 TOP).
#include "pop3/proto/message_encoder.hpp"

namespace claret::pop3::proto {

MessageEncoder::MessageEncoder(std::optional<std::uint64_t> body_lines) : body_lines_(body_lines) {}

void MessageEncoder::content(std::string& out, std::string_view bytes) {
  if (bytes.empty()) return;
  // A line starting with the termination octet gets it doubled, so the client never mistakes it for the end.
  if (at_line_start_ && bytes.front() == '.') out += '.';
  at_line_start_ = false;
  line_bytes_ += bytes.size();
  out.append(bytes.data(), bytes.size());
}

void MessageEncoder::end_line(std::string& out) {
  out += "\r\n";
  if (in_header_) {
    // The first empty line ends the header; TOP counts body lines only after it (RFC 1939 §7).
    if (line_bytes_ == 0) {
      in_header_ = false;
      if (body_lines_ && *body_lines_ == 0) done_ = true;
    }
  } else if (body_lines_) {
    ++body_lines_sent_;
    if (body_lines_sent_ >= *body_lines_) done_ = true;
  }
  at_line_start_ = true;
  line_bytes_ = 0;
}

std::string MessageEncoder::encode(std::string_view chunk) {
  std::string out;
  out.reserve(chunk.size() + chunk.size() / 64 + 8);
  std::size_t i = 0;
  while (i < chunk.size() && !done_) {
    if (pending_cr_) {
      pending_cr_ = false;
      if (chunk[i] == '\n') {
        end_line(out);
        ++i;
        continue;
      }
      content(out, "\r");  // a bare CR is ordinary line content
    }
    const char c = chunk[i];
    if (c == '\r') {
      pending_cr_ = true;
      ++i;
    } else if (c == '\n') {
      end_line(out);  // bare LF: sent as CRLF
      ++i;
    } else {
      // The run of ordinary bytes up to the next CR or LF is copied in one go.
      std::size_t end = chunk.find_first_of("\r\n", i);
      if (end == std::string_view::npos) end = chunk.size();
      content(out, chunk.substr(i, end - i));
      i = end;
    }
  }
  return out;
}

std::string MessageEncoder::finish() {
  std::string out;
  if (!done_) {
    // A trailing CR at the very end is taken as the line break it was meant to be.
    if (pending_cr_ || !at_line_start_) end_line(out);
    pending_cr_ = false;
  }
  done_ = true;
  out += ".\r\n";
  return out;
}

}  // namespace claret::pop3::proto
