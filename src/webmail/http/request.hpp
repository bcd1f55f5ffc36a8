// An HTTP/1.1 request as the webmail sees it, and the incremental, I/O-free parser that builds it
// (RFC 9112: request line, header fields, Content-Length or chunked body). The parser never allocates
// beyond its limits, so a hostile client costs at most max_header_bytes + max_body_bytes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace claret::webmail::http {

struct Request {
  std::string method;                                         // "GET", "POST", … (case-sensitive, RFC 9110 §9.1)
  std::string target;                                         // as sent: "/api/messages?folder=INBOX"
  std::string path;                                           // target before '?', percent-decoded
  std::string query;                                          // raw text after '?'
  int version_minor = 1;                                      // HTTP/1.x
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased, values trimmed
  std::string body;                                           // de-chunked
  bool keep_alive = true;

  // The first header with this (lower-case) name, or nullopt.
  std::optional<std::string_view> header(std::string_view lower_name) const;
  // Percent-decoded query parameter (first occurrence), or nullopt.
  std::optional<std::string> param(std::string_view name) const;
};

struct ParserLimits {
  std::size_t max_request_line = 8192;      // over → 414
  std::size_t max_header_bytes = 64 * 1024; // all header lines together; over → 431
  std::size_t max_headers = 100;            // over → 431
  std::size_t max_body_bytes = 1024 * 1024; // over → 413
};

// Feed bytes as they arrive; poll state(). After `complete`, take() the request and the parser is ready
// for the next one (keep-alive; bytes already fed that belong to the next request are kept).
class RequestParser {
 public:
  enum class State { need_more, complete, error };

  explicit RequestParser(ParserLimits limits = {}) : limits_(limits) {}

  // Appends and parses as far as possible.
  State feed(std::string_view bytes);
  State state() const { return state_; }
  // Valid in state error: the status to answer with (400, 413, 414, 431, 501, 505) and why.
  int error_status() const { return error_status_; }
  const std::string& error_message() const { return error_message_; }
  // The body limit can depend on the request (uploads may be larger): called once the header section is
  // parsed; its result replaces max_body_bytes for this request.
  void set_body_limit(std::function<std::size_t(const Request&)> f) { body_limit_for_ = std::move(f); }
  // True once the header section of the current request is parsed (method/path are known).
  bool headers_done() const { return phase_ > Phase::headers; }
  const Request& current() const { return req_; }
  Request take();
  // True when bytes of a next request are already buffered.
  bool has_buffered() const { return !buf_.empty(); }

 private:
  enum class Phase { request_line, headers, body_length, chunk_size, chunk_data, chunk_data_crlf, trailers, done };
  State fail(int status, std::string message);
  bool parse_request_line(std::string_view line);
  bool parse_header_line(std::string_view line);
  bool finish_headers();
  // Returns the next line (without CRLF/LF) or nullopt when more bytes are needed; enforces `limit`.
  std::optional<std::string> next_line(std::size_t limit, int status_over_limit, const char* what);

  ParserLimits limits_;
  std::function<std::size_t(const Request&)> body_limit_for_;
  std::size_t body_limit_ = 0;
  std::string buf_;
  Phase phase_ = Phase::request_line;
  State state_ = State::need_more;
  int error_status_ = 0;
  std::string error_message_;
  Request req_;
  std::size_t header_bytes_ = 0;
  uint64_t remaining_ = 0;  // body bytes (Content-Length) or bytes left in the current chunk
};

// Percent-decoding ('+' as space only when `plus_is_space`, as in query strings). nullopt on a bad escape.
std::optional<std::string> percent_decode(std::string_view s, bool plus_is_space);
// Percent-encoding of everything but unreserved characters (RFC 3986 §2.3), for query values.
std::string percent_encode(std::string_view s);

}  // namespace claret::webmail::http
