// RETR/TOP body encoding: CRLF lines, byte-stuffing and termination (RFC 1939 §3, §7 TOP).
#include "pop3/proto/message_encoder.hpp"

#include <cstring>

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
  out.reserve(chunk.size() + 8);
  encode_to(out, chunk);
  return out;
}

void MessageEncoder::encode_to(std::string& out, std::string_view chunk) {
  if (body_lines_) {
    encode_counting_lines(out, chunk);
  } else {
    encode_whole_lines(out, chunk);
  }
}

// RETR: stored messages are CRLF already, so the output is the input with a few insertions (a '.' before a line
// starting with '.', a CR before a bare LF). Lines are found with memchr and the unchanged runs between
// insertions are copied in one append each: a typical message is a single memcpy.
void MessageEncoder::encode_whole_lines(std::string& out, std::string_view chunk) {
  const char* data = chunk.data();
  const std::size_t n = chunk.size();
  std::size_t i = 0;
  if (n == 0) return;
  if (pending_cr_) {
    // The previous chunk ended with a CR: this byte decides whether it ended the line.
    pending_cr_ = false;
    out += '\r';
    if (data[0] == '\n') {
      out += '\n';
      at_line_start_ = true;
      i = 1;
    }
  }
  std::size_t run = i;  // start of the bytes not yet copied
  while (i < n) {
    if (at_line_start_) {
      at_line_start_ = false;
      if (data[i] == '.') {
        out.append(data + run, i - run);
        out += '.';
        run = i;
      }
    }
    const void* found = std::memchr(data + i, '\n', n - i);
    if (!found) {
      // A partial line: a final CR may be the first half of a CRLF split across chunks.
      std::size_t end = data[n - 1] == '\r' ? n - 1 : n;
      pending_cr_ = end != n;
      out.append(data + run, end - run);
      return;
    }
    std::size_t lf = static_cast<std::size_t>(static_cast<const char*>(found) - data);
    if (lf == i || data[lf - 1] != '\r') {
      out.append(data + run, lf - run);  // bare LF: sent as CRLF
      out += "\r\n";
      run = lf + 1;
    }
    i = lf + 1;
    at_line_start_ = true;
  }
  out.append(data + run, n - run);
}

// TOP: line by line, counting body lines after the header.
void MessageEncoder::encode_counting_lines(std::string& out, std::string_view chunk) {
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
}

std::string MessageEncoder::finish() {
  std::string out;
  finish_to(out);
  return out;
}

void MessageEncoder::finish_to(std::string& out) {
  if (!done_) {
    // A trailing CR at the very end is taken as the line break it was meant to be.
    if (pending_cr_ || !at_line_start_) end_line(out);
    pending_cr_ = false;
  }
  done_ = true;
  out += ".\r\n";
}

bool is_transfer_ready(std::string_view message) {
  if (message.empty()) return true;
  const std::size_t n = message.size();
  if (n < 2 || message[n - 2] != '\r' || message[n - 1] != '\n' || message[0] == '.') return false;
  const char* const begin = message.data();
  const char* const end = begin + n;
  const char* p = begin;
  for (;;) {
    // The message ends with LF, so a line end is always found before `end`.
    const auto* lf = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (lf == begin || lf[-1] != '\r') return false;
    if (lf + 1 == end) return true;
    if (lf[1] == '.') return false;
    p = lf + 1;
  }
}

void encode_whole_in_place(std::string& out, std::size_t from) {
  if (is_transfer_ready(std::string_view(out).substr(from))) {
    out += ".\r\n";
    return;
  }
  // Rare (a line starting with '.', a bare LF): encode a copy of the message back into place.
  const std::string message = out.substr(from);
  out.resize(from);
  MessageEncoder encoder;
  encoder.encode_to(out, message);
  encoder.finish_to(out);
}

}  // namespace claret::pop3::proto
