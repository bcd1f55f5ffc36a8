// Response serialisation.
#include "webmail/http/response.hpp"

#include <cstdio>

#include "base/strings.hpp"

namespace claret::webmail::http {

Response& Response::set(std::string name, std::string value) {
  for (auto& [k, v] : headers)
    if (iequals(k, name)) {
      v = std::move(value);
      return *this;
    }
  headers.emplace_back(std::move(name), std::move(value));
  return *this;
}

const std::string* Response::find(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.set("Content-Type", "application/json; charset=utf-8");
  r.body = std::move(body);
  return r;
}

Response Response::error(int status, std::string_view message) {
  return json(status, "{\"error\":" + json_quote(message) + "}");
}

Response Response::text(int status, std::string content_type, std::string body) {
  Response r;
  r.status = status;
  r.set("Content-Type", std::move(content_type));
  r.body = std::move(body);
  return r;
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 301: return "Moved Permanently";
    case 302: return "Found";
    case 304: return "Not Modified";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 411: return "Length Required";
    case 413: return "Content Too Large";
    case 414: return "URI Too Long";
    case 415: return "Unsupported Media Type";
    case 429: return "Too Many Requests";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 505: return "HTTP Version Not Supported";
    default: return "Unknown";
  }
}

namespace {

std::string head(const Response& r, bool keep_alive) {
  std::string out = "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(reason_phrase(r.status)) + "\r\n";
  for (const auto& [k, v] : r.headers) {
    // Header injection guard: a value never carries a line break.
    std::string clean;
    for (char c : v)
      if (c != '\r' && c != '\n') clean += c;
    out += k + ": " + clean + "\r\n";
  }
  if (!keep_alive) out += "Connection: close\r\n";
  return out;
}

}  // namespace

std::string serialize(const Response& r, bool keep_alive, bool head_only) {
  std::string out = head(r, keep_alive);
  bool bodyless = r.status == 204 || r.status == 304 || (r.status >= 100 && r.status < 200);
  if (!bodyless) out += "Content-Length: " + std::to_string(r.body.size()) + "\r\n";
  out += "\r\n";
  if (!head_only && !bodyless) out += r.body;
  return out;
}

std::string serialize_chunked_head(const Response& r, bool keep_alive) {
  return head(r, keep_alive) + "Transfer-Encoding: chunked\r\n\r\n";
}

std::string chunk(std::string_view data) {
  if (data.empty()) return {};
  char size[32];
  std::snprintf(size, sizeof size, "%zx\r\n", data.size());
  std::string out = size;
  out.append(data);
  out += "\r\n";
  return out;
}

std::string_view last_chunk() { return "0\r\n\r\n"; }

std::string json_quote(std::string_view s) {
  std::string out = "\"";
  for (size_t i = 0; i < s.size();) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          if (c < 0x20 || c == 0x7f) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", c);
            out += buf;
          } else if (c == '<') {
            out += "\\u003c";  // never "</script>" inside JSON
          } else {
            out += static_cast<char>(c);
          }
      }
      ++i;
      continue;
    }
    // Validate one UTF-8 sequence.
    int len = (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = len > 0 && i + len <= s.size();
    uint32_t cp = len == 2 ? c & 0x1f : len == 3 ? c & 0x0f : c & 0x07;
    for (int k = 1; ok && k < len; ++k) {
      unsigned char cc = static_cast<unsigned char>(s[i + k]);
      if ((cc >> 6) != 2) ok = false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if (ok && ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
               (cp >= 0xd800 && cp <= 0xdfff)))
      ok = false;
    if (ok) {
      out.append(s, i, len);
      i += len;
    } else {
      out += "\xEF\xBF\xBD";
      ++i;
    }
  }
  return out + "\"";
}

}  // namespace claret::webmail::http
