// DATA reader state machine: RFC 5321 §4.1.1.4 (end of data), §4.5.2 (transparency), §2.3.8 (line endings).
#include "smtp/proto/data_reader.hpp"

namespace claret::smtp::proto {

DataReader::DataReader(ContentLimits limits) : scanner_(limits) {}

std::size_t DataReader::feed(std::string_view bytes) {
  if (done_) return 0;
  std::size_t i = 0;
  while (i < bytes.size()) {
    char c = bytes[i];
    switch (state_) {
      case State::line_start:
        if (c == '.') {
          state_ = State::dot;
          ++i;
        } else {
          state_ = State::in_line;  // re-examine c as ordinary line content
        }
        break;
      case State::dot:
        if (c == '\r') {
          state_ = State::dot_cr;
          ++i;
        } else {
          // A leading dot followed by more text is transparency stuffing: drop it (§4.5.2).
          state_ = State::in_line;
        }
        break;
      case State::dot_cr:
        if (c == '\n') {
          done_ = true;
          scanner_.finish();
          return i + 1;
        }
        // ".<CR>x": not the end. The dot was stuffing; the CR is content (and, being bare, is flagged).
        scanner_.append("\r");
        state_ = State::in_line;
        break;
      case State::in_line: {
        if (c == '\r') {
          scanner_.append("\r");
          state_ = State::cr;
          ++i;
          break;
        }
        // Copy the run up to the next CR (a bare LF is content: it is flagged, and we stay mid-line so it
        // can never start a "." line).
        std::size_t end = bytes.find('\r', i);
        if (end == std::string_view::npos) end = bytes.size();
        scanner_.append(bytes.substr(i, end - i));
        i = end;
        break;
      }
      case State::cr:
        if (c == '\n') {
          scanner_.append("\n");
          state_ = State::line_start;
          ++i;
        } else {
          state_ = State::in_line;  // bare CR; c is ordinary content (or the next CR)
        }
        break;
    }
  }
  return i;
}

}  // namespace claret::smtp::proto
