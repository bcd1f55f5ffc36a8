// Response framing and the top-level response grammar (RFC 9051 §7.1 status responses with resp-text-code,
// §7.2-7.5 untagged data, §7.6 continuation requests).
#include "imap/client/response.hpp"

#include <cctype>
#include <charconv>

namespace claret::imap::client {

namespace {

std::string upper(std::string_view s) {
  std::string r(s);
  for (auto& c : r) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

RespStatus status_of(std::string_view word) {
  auto w = upper(word);
  if (w == "OK") return RespStatus::ok;
  if (w == "NO") return RespStatus::no;
  if (w == "BAD") return RespStatus::bad;
  if (w == "BYE") return RespStatus::bye;
  if (w == "PREAUTH") return RespStatus::preauth;
  return RespStatus::none;
}

// Reads up to the next space (or end): the tag and the first word of a response.
std::string_view word(std::string_view s, std::size_t& pos) {
  auto start = pos;
  while (pos < s.size() && s[pos] != ' ') ++pos;
  auto w = s.substr(start, pos - start);
  if (pos < s.size()) ++pos;
  return w;
}

// resp-text = ["[" resp-text-code "]" SP] text
RespStatus read_resp_text(std::string_view wire, std::size_t pos, Response& r, Error& err) {
  if (pos < wire.size() && wire[pos] == '[') {
    std::size_t name_end = 0;
    auto rest = wire.substr(pos + 1);
    while (name_end < rest.size() && rest[name_end] != ' ' && rest[name_end] != ']') ++name_end;
    r.code.name = upper(rest.substr(0, name_end));
    if (r.code.name.empty()) {
      err = make_error("malformed IMAP response: empty response code");
      return RespStatus::bad;
    }
    ValueReader args(rest.substr(name_end));
    if (r.code.name == "ALERT" || r.code.name == "PARSE" || r.code.name.starts_with("X")) {
      // Free-form codes: skip to the closing bracket without interpreting.
      auto close = rest.find(']');
      if (close == std::string_view::npos) {
        err = make_error("malformed IMAP response: unterminated response code");
        return RespStatus::bad;
      }
      pos += 1 + close + 1;
    } else {
      auto vals = args.read_all(true);
      if (!vals || !args.consume(']')) {
        err = vals ? make_error("malformed IMAP response: unterminated response code [" + r.code.name) : vals.error();
        return RespStatus::bad;
      }
      r.code.args = std::move(*vals);
      pos += 1 + name_end + args.position();
    }
    if (pos < wire.size() && wire[pos] == ' ') ++pos;
  }
  r.text = std::string(wire.substr(std::min(pos, wire.size())));
  return RespStatus::ok;
}

}  // namespace

std::string_view status_name(RespStatus s) {
  switch (s) {
    case RespStatus::ok: return "OK";
    case RespStatus::no: return "NO";
    case RespStatus::bad: return "BAD";
    case RespStatus::bye: return "BYE";
    case RespStatus::preauth: return "PREAUTH";
    case RespStatus::none: break;
  }
  return "";
}

Result<Response> parse_response(std::string_view wire) {
  Response r;
  if (wire.empty()) return make_error("malformed IMAP response: empty line");
  if (wire[0] == '+') {
    r.kind = Response::Kind::continuation;
    std::size_t pos = 1;
    if (pos < wire.size() && wire[pos] == ' ') ++pos;
    r.text = std::string(wire.substr(pos));
    return r;
  }
  std::size_t pos = 0;
  auto tag = word(wire, pos);
  if (tag.empty()) return make_error("malformed IMAP response: missing tag");
  if (tag != "*") {
    r.kind = Response::Kind::tagged;
    r.tag = std::string(tag);
    for (char c : tag)
      if (static_cast<unsigned char>(c) <= 0x20 || c == '(' || c == ')' || c == '{' || c == '"' || c == '%')
        return make_error("malformed IMAP response: bad tag");
    r.status = status_of(word(wire, pos));
    if (r.status == RespStatus::none || r.status == RespStatus::bye || r.status == RespStatus::preauth)
      return make_error("malformed IMAP response: tagged response without OK/NO/BAD");
    Error err;
    if (read_resp_text(wire, pos, r, err) != RespStatus::ok) return err;
    return r;
  }
  auto first = word(wire, pos);
  if (first.empty()) return make_error("malformed IMAP response: empty untagged response");
  if (auto st = status_of(first); st != RespStatus::none) {
    r.status = st;
    Error err;
    if (read_resp_text(wire, pos, r, err) != RespStatus::ok) return err;
    return r;
  }
  if (std::isdigit(static_cast<unsigned char>(first[0]))) {
    std::uint32_t n = 0;
    auto [p, ec] = std::from_chars(first.data(), first.data() + first.size(), n);
    if (ec != std::errc{} || p != first.data() + first.size())
      return make_error("malformed IMAP response: bad message number '" + std::string(first) + "'");
    r.number = n;
    first = word(wire, pos);
    if (first.empty()) return make_error("malformed IMAP response: name expected after the number");
  }
  r.name = upper(first);
  ValueReader vr(wire.substr(pos));
  auto vals = vr.read_all();
  if (!vals) return vals.error();
  r.data = std::move(*vals);
  return r;
}

std::optional<std::uint64_t> trailing_literal(std::string_view line) {
  if (line.empty() || line.back() != '}') return std::nullopt;
  auto open = line.rfind('{');
  if (open == std::string_view::npos) return std::nullopt;
  auto digits = line.substr(open + 1, line.size() - open - 2);
  if (!digits.empty() && digits.back() == '+') digits.remove_suffix(1);
  if (digits.empty() || digits.size() > 19) return std::nullopt;
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc{} || p != digits.data() + digits.size()) return std::nullopt;
  return n;
}

Result<std::optional<std::size_t>> ResponseFramer::feed_line(std::string_view line) {
  wire_.append(line);
  auto n = trailing_literal(line);
  if (!n) return std::optional<std::size_t>{};
  if (*n > max_literal_) return make_error("IMAP server sent a literal of " + std::to_string(*n) + " bytes, over the limit");
  wire_.append("\r\n");
  return std::optional<std::size_t>{static_cast<std::size_t>(*n)};
}

void ResponseFramer::feed_literal(std::string_view bytes) { wire_.append(bytes); }

std::string ResponseFramer::take() {
  std::string w = std::move(wire_);
  wire_.clear();
  return w;
}

}  // namespace claret::imap::client
