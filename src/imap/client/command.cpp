// Command building: choose quoted string or literal per argument (RFC 9051 §4.3).
#include "imap/client/command.hpp"

#include "imap/proto/mailbox_name.hpp"

namespace claret::imap::client {

bool quotable(std::string_view s) {
  if (s.size() > 1000) return false;
  for (unsigned char c : s)
    if (c == 0 || c == '\r' || c == '\n' || c >= 0x80) return false;
  return true;
}

std::string quote(std::string_view s) {
  std::string q = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') q += '\\';
    q += c;
  }
  q += '"';
  return q;
}

void Command::space() {
  auto& last = text_.back();
  if (!(text_.size() == 1 && last.empty())) last += ' ';
}

Command& Command::atom(std::string_view a) {
  space();
  text_.back() += a;
  return *this;
}

Command& Command::string(std::string_view s) {
  if (quotable(s)) return atom(quote(s));
  return literal(s);
}

Command& Command::literal(std::string_view bytes) {
  space();
  literals_.emplace_back(bytes);
  text_.emplace_back();
  return *this;
}

Command& Command::mailbox(std::string_view utf8, bool utf8_accept) {
  return string(proto::encode_mailbox(utf8, utf8_accept));
}

Command& Command::append(const Command& other) {
  const auto& pieces = other.pieces();
  if (pieces.size() == 1 && pieces[0].empty()) return *this;
  space();
  text_.back() += pieces[0];
  for (std::size_t i = 0; i < other.literals().size(); ++i) {
    literals_.push_back(other.literals()[i]);
    text_.push_back(pieces[i + 1]);
  }
  return *this;
}

std::string Command::describe() const {
  std::string out;
  for (std::size_t i = 0; i < text_.size(); ++i) {
    out += text_[i];
    if (i < literals_.size()) out += "{" + std::to_string(literals_[i].size()) + "}";
  }
  return out;
}

}  // namespace claret::imap::client
