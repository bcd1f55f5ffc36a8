// Client side of SMTP replies: multi-line assembly, enhanced status codes, EHLO keywords (RFC 5321 §4.2,
// RFC 3463 §2, RFC 2034 §4, RFC 5321 §4.1.1.1).
#include "smtp/client/reply_parser.hpp"

#include <cctype>

#include "base/strings.hpp"

namespace claret::smtp::client {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// "class.subject.detail" with class 2, 4 or 5, subject 1-3 digits, detail 1-3 digits (RFC 3463 §2).
size_t enhanced_length(std::string_view text) {
  if (text.size() < 5 || (text[0] != '2' && text[0] != '4' && text[0] != '5') || text[1] != '.') return 0;
  size_t i = 2;
  for (int part = 0; part < 2; ++part) {
    size_t start = i;
    while (i < text.size() && is_digit(text[i]) && i - start < 3) ++i;
    if (i == start) return 0;
    if (part == 0) {
      if (i >= text.size() || text[i] != '.') return 0;
      ++i;
    }
  }
  if (i < text.size() && text[i] != ' ') return 0;
  return i;
}

}  // namespace

Result<std::optional<proto::Reply>> ReplyParser::feed(std::string_view line) {
  if (line.size() < 3 || !is_digit(line[0]) || !is_digit(line[1]) || !is_digit(line[2]) || line[0] < '2' ||
      line[0] > '5')
    return make_error("malformed SMTP reply line: " + std::string(line.substr(0, 80)));
  if (line.size() > 3 && line[3] != ' ' && line[3] != '-')
    return make_error("malformed SMTP reply line: " + std::string(line.substr(0, 80)));
  int code = (line[0] - '0') * 100 + (line[1] - '0') * 10 + (line[2] - '0');
  if (in_reply_ && code != pending_.code) {
    in_reply_ = false;
    pending_ = {};
    return make_error("SMTP reply code changed inside a multi-line reply");
  }
  if (!in_reply_) {
    pending_ = {};
    pending_.code = code;
    in_reply_ = true;
  }
  std::string_view text = line.size() > 4 ? line.substr(4) : std::string_view{};
  // RFC 2034 §4 puts the enhanced code on every line; keep the first, strip it from each line's text.
  if (size_t n = enhanced_length(text); n > 0 && code / 100 != 3) {
    if (pending_.enhanced.empty()) pending_.enhanced = std::string(text.substr(0, n));
    text.remove_prefix(std::min(text.size(), n + 1));
  }
  if (pending_.lines.size() >= kMaxLines) {
    in_reply_ = false;
    pending_ = {};
    return make_error("SMTP reply has too many lines");
  }
  pending_.lines.emplace_back(text);
  if (line.size() > 3 && line[3] == '-') return std::optional<proto::Reply>{};
  in_reply_ = false;
  return std::optional<proto::Reply>{std::move(pending_)};
}

std::string reply_summary(const proto::Reply& reply) {
  std::string out = std::to_string(reply.code);
  if (!reply.enhanced.empty()) out += " " + reply.enhanced;
  for (const auto& l : reply.lines) {
    if (l.empty()) continue;
    out += " ";
    for (char c : l) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? ' ' : c;
  }
  return out;
}

proto::Capabilities parse_ehlo(const proto::Reply& reply) {
  proto::Capabilities caps;
  for (size_t i = 1; i < reply.lines.size(); ++i) {
    std::vector<std::string> words;
    for (auto& w : split(reply.lines[i], ' '))
      if (!w.empty()) words.push_back(std::string(w));
    if (words.empty()) continue;
    const std::string key = to_upper(words[0]);
    if (key == "PIPELINING") caps.pipelining = true;
    else if (key == "8BITMIME") caps.eight_bit_mime = true;
    else if (key == "SMTPUTF8") caps.smtputf8 = true;
    else if (key == "ENHANCEDSTATUSCODES") caps.enhanced_status_codes = true;
    else if (key == "CHUNKING") caps.chunking = true;
    else if (key == "BINARYMIME") caps.binary_mime = true;
    else if (key == "DSN") caps.dsn = true;
    else if (key == "STARTTLS") caps.starttls = true;
    else if (key == "SIZE") {
      uint64_t n = 0;
      if (words.size() > 1) {
        auto v = parse_u64(words[1]);
        if (v) n = *v;
      }
      caps.size = n;
    } else if (key == "AUTH") {
      for (size_t j = 1; j < words.size(); ++j) caps.auth_mechanisms.push_back(to_upper(words[j]));
    }
  }
  return caps;
}

}  // namespace claret::smtp::client
