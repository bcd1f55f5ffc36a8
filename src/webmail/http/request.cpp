// The incremental HTTP/1.1 request parser (RFC 9112 §2-§7).
#include "webmail/http/request.hpp"

#include "base/strings.hpp"

namespace claret::webmail::http {
namespace {

bool is_tchar(char c) {
  if (std::isalnum(static_cast<unsigned char>(c))) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s)
    if (!is_tchar(c)) return false;
  return true;
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

}  // namespace

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  for (const auto& [k, v] : headers)
    if (k == lower_name) return std::string_view(v);
  return std::nullopt;
}

std::optional<std::string> Request::param(std::string_view name) const {
  for (auto pair : split(query, '&')) {
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    if (!key || *key != name) continue;
    if (eq == std::string_view::npos) return std::string();
    return percent_decode(pair.substr(eq + 1), true);
  }
  return std::nullopt;
}

std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return std::nullopt;
      int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view s) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

RequestParser::State RequestParser::fail(int status, std::string message) {
  state_ = State::error;
  error_status_ = status;
  error_message_ = std::move(message);
  return state_;
}

std::optional<std::string> RequestParser::next_line(std::size_t limit, int status_over_limit, const char* what) {
  auto lf = buf_.find('\n');
  if (lf == std::string::npos) {
    if (buf_.size() > limit + 1) fail(status_over_limit, std::string(what) + " too long");
    return std::nullopt;
  }
  std::size_t len = lf;
  if (len > 0 && buf_[len - 1] == '\r') --len;
  if (len > limit) {
    fail(status_over_limit, std::string(what) + " too long");
    return std::nullopt;
  }
  std::string line = buf_.substr(0, len);
  buf_.erase(0, lf + 1);
  return line;
}

bool RequestParser::parse_request_line(std::string_view line) {
  auto sp1 = line.find(' ');
  auto sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    fail(400, "malformed request line");
    return false;
  }
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(400, "malformed method"), false;
  if (target.empty() || (target[0] != '/' && target != "*")) return fail(400, "request target must be a path"), false;
  for (char c : target)
    if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f) return fail(400, "bad character in request target"), false;
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(version[5])) || !std::isdigit(static_cast<unsigned char>(version[7])))
    return fail(400, "malformed HTTP version"), false;
  if (version[5] != '1') return fail(505, "only HTTP/1.x is supported"), false;
  req_.method = std::string(method);
  req_.target = std::string(target);
  req_.version_minor = version[7] - '0';
  auto q = target.find('?');
  auto path = percent_decode(target.substr(0, q), false);
  if (!path) return fail(400, "bad percent-encoding in path"), false;
  req_.path = std::move(*path);
  req_.query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  return true;
}

bool RequestParser::parse_header_line(std::string_view line) {
  if (line[0] == ' ' || line[0] == '\t') return fail(400, "obsolete header folding is not accepted"), false;
  auto colon = line.find(':');
  if (colon == std::string_view::npos || !is_token(line.substr(0, colon)))
    return fail(400, "malformed header field"), false;
  for (char c : line)
    if (c == '\0' || c == '\r' || c == '\n') return fail(400, "bad character in header field"), false;
  if (req_.headers.size() >= limits_.max_headers) return fail(431, "too many header fields"), false;
  req_.headers.emplace_back(to_lower(line.substr(0, colon)), std::string(trim(line.substr(colon + 1))));
  return true;
}

bool RequestParser::finish_headers() {
  if (req_.version_minor >= 1 && !req_.header("host")) return fail(400, "missing Host header"), false;
  auto connection = to_lower(req_.header("connection").value_or(""));
  if (req_.version_minor == 0) req_.keep_alive = connection.find("keep-alive") != std::string::npos;
  else req_.keep_alive = connection.find("close") == std::string::npos;

  body_limit_ = body_limit_for_ ? body_limit_for_(req_) : limits_.max_body_bytes;
  auto te = req_.header("transfer-encoding");
  auto cl_count = 0;
  std::optional<std::string_view> cl;
  for (const auto& [k, v] : req_.headers)
    if (k == "content-length") {
      ++cl_count;
      cl = v;
    }
  if (te) {
    // RFC 9112 §6.1: chunked must be the final coding; a message with both is a smuggling attempt.
    if (cl) return fail(400, "both Transfer-Encoding and Content-Length"), false;
    if (!iequals(trim(*te), "chunked")) return fail(501, "unsupported transfer coding"), false;
    phase_ = Phase::chunk_size;
    return true;
  }
  if (cl) {
    if (cl_count > 1) return fail(400, "more than one Content-Length"), false;
    auto n = parse_u64(*cl);
    if (!n) return fail(400, "malformed Content-Length"), false;
    if (*n > body_limit_) return fail(413, "request body too large"), false;
    remaining_ = *n;
    phase_ = Phase::body_length;
    return true;
  }
  phase_ = Phase::done;
  return true;
}

RequestParser::State RequestParser::feed(std::string_view bytes) {
  if (state_ == State::error) return state_;
  buf_.append(bytes);
  if (state_ == State::complete) return state_;
  for (;;) {
    switch (phase_) {
      case Phase::request_line: {
        // RFC 9112 §2.2: ignore empty lines before the request line, CRLF and bare LF in any order (two loops
        // one after the other left "\n\r\n" as an empty request line, but only when it arrived in one read).
        for (;;) {
          if (buf_.starts_with("\r\n")) {
            buf_.erase(0, 2);
          } else if (buf_.starts_with("\n")) {
            buf_.erase(0, 1);
          } else {
            break;
          }
        }
        auto line = next_line(limits_.max_request_line, 414, "request line");
        if (!line) return state_ == State::error ? state_ : State::need_more;
        if (!parse_request_line(*line)) return state_;
        phase_ = Phase::headers;
        break;
      }
      case Phase::headers: {
        std::size_t left = limits_.max_header_bytes > header_bytes_ ? limits_.max_header_bytes - header_bytes_ : 0;
        auto line = next_line(left, 431, "header section");
        if (!line) return state_ == State::error ? state_ : State::need_more;
        header_bytes_ += line->size() + 2;
        if (line->empty()) {
          if (!finish_headers()) return state_;
        } else if (!parse_header_line(*line)) {
          return state_;
        }
        break;
      }
      case Phase::body_length: {
        std::size_t n = std::min<uint64_t>(remaining_, buf_.size());
        req_.body.append(buf_, 0, n);
        buf_.erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return State::need_more;
        phase_ = Phase::done;
        break;
      }
      case Phase::chunk_size: {
        auto line = next_line(1024, 400, "chunk size line");
        if (!line) return state_ == State::error ? state_ : State::need_more;
        std::string_view size = *line;
        size = size.substr(0, size.find(';'));  // chunk extensions are ignored (§7.1.1)
        size = trim(size);
        if (size.empty() || size.size() > 15) return fail(400, "malformed chunk size");
        uint64_t n = 0;
        for (char c : size) {
          int v = hex_value(c);
          if (v < 0) return fail(400, "malformed chunk size");
          n = n * 16 + static_cast<uint64_t>(v);
        }
        if (req_.body.size() + n > body_limit_) return fail(413, "request body too large");
        remaining_ = n;
        phase_ = n == 0 ? Phase::trailers : Phase::chunk_data;
        break;
      }
      case Phase::chunk_data: {
        std::size_t n = std::min<uint64_t>(remaining_, buf_.size());
        req_.body.append(buf_, 0, n);
        buf_.erase(0, n);
        remaining_ -= n;
        if (remaining_ > 0) return State::need_more;
        phase_ = Phase::chunk_data_crlf;
        break;
      }
      case Phase::chunk_data_crlf: {
        auto line = next_line(0, 400, "chunk data");
        if (!line) return state_ == State::error ? state_ : State::need_more;
        phase_ = Phase::chunk_size;
        break;
      }
      case Phase::trailers: {
        std::size_t left = limits_.max_header_bytes > header_bytes_ ? limits_.max_header_bytes - header_bytes_ : 0;
        auto line = next_line(left, 431, "trailer section");
        if (!line) return state_ == State::error ? state_ : State::need_more;
        header_bytes_ += line->size() + 2;
        if (line->empty()) phase_ = Phase::done;  // trailer fields are read and dropped
        break;
      }
      case Phase::done:
        state_ = State::complete;
        return state_;
    }
  }
}

Request RequestParser::take() {
  Request out = std::move(req_);
  req_ = Request{};
  phase_ = Phase::request_line;
  state_ = State::need_more;
  header_bytes_ = 0;
  remaining_ = 0;
  return out;
}

}  // namespace claret::webmail::http
