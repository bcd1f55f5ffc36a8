// HTTP/1.1 responses: a status, header fields and a body, serialised to wire bytes; plus the pieces of a
// chunked (streamed) response (RFC 9112 §7.1).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace claret::webmail::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& set(std::string name, std::string value);  // replaces a header of the same name
  const std::string* find(std::string_view name) const;  // case-insensitive

  static Response json(int status, std::string body);
  // {"error": message} with the given status.
  static Response error(int status, std::string_view message);
  static Response text(int status, std::string content_type, std::string body);
};

std::string_view reason_phrase(int status);
// Status line, headers, Content-Length (unless the response is chunked) and the body.
// HEAD responses (head_only) carry the length but not the body.
std::string serialize(const Response& response, bool keep_alive, bool head_only = false);
// The head of a chunked response: status line, headers and "Transfer-Encoding: chunked".
std::string serialize_chunked_head(const Response& response, bool keep_alive);
// One chunk; an empty `data` yields nothing (an empty chunk would end the body).
std::string chunk(std::string_view data);
// The last chunk, ending the body.
std::string_view last_chunk();

// A JSON string literal (with quotes) for `s`; invalid UTF-8 bytes become U+FFFD.
std::string json_quote(std::string_view s);

}  // namespace claret::webmail::http
