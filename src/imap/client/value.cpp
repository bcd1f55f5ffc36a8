// Tokeniser for IMAP response data: atoms (with BODY[...]<...> sections), quoted strings with escapes, literals,
// literal8, NIL and nested lists, with a depth limit so hostile input cannot exhaust the stack.
#include "imap/client/value.hpp"

#include <cctype>
#include <charconv>

namespace claret::imap::client {

namespace {

bool atom_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7f) return false;
  return c != '(' && c != ')' && c != '"' && c != '{' && c != ']';
}

}  // namespace

std::string Value::keyword() const {
  if (kind != Kind::atom) return {};
  std::string k = text;
  for (auto& c : k) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return k;
}

std::optional<std::uint64_t> Value::number() const {
  if (kind != Kind::atom || text.empty() || text.size() > 20) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size()) return std::nullopt;
  return v;
}

Error ValueReader::error(std::string what) const {
  return make_error("malformed IMAP response at byte " + std::to_string(pos_) + ": " + what);
}

void ValueReader::skip_spaces() {
  while (pos_ < s_.size() && s_[pos_] == ' ') ++pos_;
}

bool ValueReader::consume(char c) {
  if (peek() != c || at_end()) return false;
  ++pos_;
  return true;
}

std::string_view ValueReader::rest() {
  auto r = s_.substr(pos_);
  pos_ = s_.size();
  return r;
}

Result<Value> ValueReader::read(std::size_t depth) {
  skip_spaces();
  if (at_end()) return error("value expected, end of response found");
  char c = peek();
  if (c == '(') {
    if (depth >= kMaxValueDepth) return error("lists nested too deeply");
    ++pos_;
    Value list;
    list.kind = Value::Kind::list;
    for (;;) {
      skip_spaces();
      if (at_end()) return error("unterminated list");
      if (consume(')')) return list;
      auto item = read(depth + 1);
      if (!item) return item.error();
      list.items.push_back(std::move(*item));
    }
  }
  if (c == '"') return read_quoted();
  if (c == '{') return read_literal(false);
  if (c == '~' && pos_ + 1 < s_.size() && s_[pos_ + 1] == '{') {
    ++pos_;
    return read_literal(true);
  }
  if (c == ')' || c == ']') return error(std::string("unexpected '") + c + "'");
  return read_atom();
}

Result<Value> ValueReader::read_atom() {
  std::size_t start = pos_;
  while (!at_end()) {
    char c = s_[pos_];
    if (c == '[') {
      // BODY[HEADER.FIELDS (A B)]: the section may hold spaces and parentheses; take it whole.
      auto close = s_.find(']', pos_);
      if (close == std::string_view::npos) return error("unterminated '['");
      pos_ = close + 1;
      continue;
    }
    if (!atom_char(c)) break;
    ++pos_;
  }
  if (pos_ == start) return error("atom expected");
  Value v;
  v.text = std::string(s_.substr(start, pos_ - start));
  v.kind = Value::Kind::atom;
  if (v.keyword() == "NIL") {
    v.kind = Value::Kind::nil;
    v.text.clear();
  } else {
    v.kind = Value::Kind::atom;
  }
  return v;
}

Result<Value> ValueReader::read_quoted() {
  ++pos_;  // opening quote
  Value v;
  v.kind = Value::Kind::string;
  while (!at_end()) {
    char c = s_[pos_++];
    if (c == '"') return v;
    if (c == '\r' || c == '\n') return error("line break inside a quoted string");
    if (c == '\\') {
      if (at_end()) break;
      char e = s_[pos_++];
      // RFC 9051 §9: only \" and \\ are quoted-specials; keep other escapes as written.
      if (e != '"' && e != '\\') v.text += '\\';
      v.text += e;
      continue;
    }
    v.text += c;
  }
  return error("unterminated quoted string");
}

Result<Value> ValueReader::read_literal(bool literal8) {
  ++pos_;  // '{'
  std::size_t start = pos_;
  while (!at_end() && std::isdigit(static_cast<unsigned char>(s_[pos_]))) ++pos_;
  if (pos_ == start || pos_ - start > 19) return error("bad literal length");
  std::uint64_t n = 0;
  std::from_chars(s_.data() + start, s_.data() + pos_, n);
  consume('+');
  if (!consume('}')) return error("'}' expected after literal length");
  if (!consume('\r') || !consume('\n')) return error("CRLF expected after literal length");
  if (n > s_.size() - pos_) return error("literal longer than the data received");
  Value v;
  v.kind = Value::Kind::string;
  v.literal8 = literal8;
  v.text = std::string(s_.substr(pos_, n));
  pos_ += n;
  return v;
}

Result<std::vector<Value>> ValueReader::read_all(bool stop_at_bracket) {
  std::vector<Value> out;
  for (;;) {
    skip_spaces();
    if (at_end()) return out;
    if (stop_at_bracket && peek() == ']') return out;
    auto v = read();
    if (!v) return v.error();
    out.push_back(std::move(*v));
  }
}

Result<std::vector<Value>> parse_values(std::string_view wire) {
  ValueReader r(wire);
  return r.read_all();
}

}  // namespace claret::imap::client
