// Webmail input (src/webmail/http, src/webmail/server/json.cpp): the HTTP/1.1 request parser and the JSON reader
// of API request bodies. The first byte picks the read sizes; the rest is both a byte stream of requests and a
// JSON document.
// Invariants: the request parser gives the same requests and the same final state whatever the read sizes;
// parsed requests stay within the limits; errors carry one of the documented statuses; percent-encoding
// round-trips; a parsed JSON document has only valid UTF-8 strings and survives writing and reading back.
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "fuzz_support.hpp"
#include "webmail/http/request.hpp"
#include "webmail/server/json.hpp"

using namespace claret::webmail;

namespace {

// Small limits, so the fuzzer reaches every "too large" path.
http::ParserLimits limits() {
  http::ParserLimits l;
  l.max_request_line = 256;
  l.max_header_bytes = 1024;
  l.max_headers = 8;
  l.max_body_bytes = 512;
  return l;
}

std::string describe(const http::Request& r) {
  std::string out = r.method + "\n" + r.target + "\n" + r.path + "\n" + r.query + "\n" +
                    std::to_string(r.version_minor) + (r.keep_alive ? "k" : "c") + "\n";
  for (const auto& [name, value] : r.headers) out += name + ": " + value + "\n";
  return out + "\n" + r.body;
}

void check_request(const http::Request& r) {
  const http::ParserLimits l = limits();
  FUZZ_CHECK(!r.method.empty());
  FUZZ_CHECK(r.headers.size() <= l.max_headers);
  FUZZ_CHECK(r.body.size() <= l.max_body_bytes);
  for (const auto& [name, value] : r.headers) {
    for (char c : name) FUZZ_CHECK(!(c >= 'A' && c <= 'Z'));
    FUZZ_CHECK(value.find_first_of("\r\n") == std::string::npos);
  }
  (void)r.param("folder");
  (void)r.param("q");
  (void)r.header("content-type");
  FUZZ_CHECK(http::percent_decode(http::percent_encode(r.target), false) == r.target);
  FUZZ_CHECK(http::percent_decode(http::percent_encode(r.body), true) == r.body);
}

// Feeds `data` in pieces of the given sizes (cycled); returns every request taken, then the final state.
std::vector<std::string> run_parser(std::string_view data, const std::vector<size_t>& sizes,
                                    std::vector<std::string>* bodies = nullptr) {
  http::RequestParser p(limits());
  std::vector<std::string> events;
  size_t pos = 0, k = 0;
  http::RequestParser::State st = http::RequestParser::State::need_more;
  while (st != http::RequestParser::State::error) {
    if (pos >= data.size() && st == http::RequestParser::State::need_more) break;
    size_t n = std::min(data.size() - pos, sizes[k++ % sizes.size()]);
    st = p.feed(data.substr(pos, n));
    pos += n;
    while (st == http::RequestParser::State::complete) {
      http::Request r = p.take();
      check_request(r);
      events.push_back(describe(r));
      if (bodies) bodies->push_back(r.body);
      st = p.feed("");
    }
  }
  if (st == http::RequestParser::State::error) {
    const int s = p.error_status();
    FUZZ_CHECK(s == 400 || s == 413 || s == 414 || s == 431 || s == 501 || s == 505);
    FUZZ_CHECK(!p.error_message().empty());
    events.push_back("error " + std::to_string(s));
  } else {
    events.push_back("need more");
  }
  return events;
}

bool all_strings_valid(const json::Value& v) {
  switch (v.type) {
    case json::Value::Type::string: return claret::fuzz::valid_utf8(v.string);
    case json::Value::Type::array:
      for (const auto& item : v.array)
        if (!all_strings_valid(item)) return false;
      return true;
    case json::Value::Type::object:
      for (const auto& [key, item] : v.object)
        if (!claret::fuzz::valid_utf8(key) || !all_strings_valid(item)) return false;
      return true;
    default: return true;
  }
}

std::string number_text(double d) {
  if (std::isinf(d)) return d < 0 ? "-1e999" : "1e999";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.17g", d);
  return buf;
}

// Writes a value back with the server's own Builder.
std::string write(const json::Value& v) {
  switch (v.type) {
    case json::Value::Type::null: return "null";
    case json::Value::Type::boolean: return v.boolean ? "true" : "false";
    case json::Value::Type::number: return number_text(v.number);
    case json::Value::Type::string: {
      auto b = json::Builder::array();
      std::string one = b.str(v.string).done();  // ["…"]
      return one.substr(1, one.size() - 2);
    }
    case json::Value::Type::array: {
      auto b = json::Builder::array();
      for (const auto& item : v.array) b.raw(write(item));
      return b.done();
    }
    case json::Value::Type::object: {
      auto b = json::Builder::object();
      for (const auto& [key, item] : v.object) b.key(key).raw(write(item));
      return b.done();
    }
  }
  return "null";
}

bool same(const json::Value& a, const json::Value& b) {
  if (a.type != b.type) return false;
  switch (a.type) {
    case json::Value::Type::null: return true;
    case json::Value::Type::boolean: return a.boolean == b.boolean;
    case json::Value::Type::number: return a.number == b.number;
    case json::Value::Type::string: return a.string == b.string;
    case json::Value::Type::array:
      if (a.array.size() != b.array.size()) return false;
      for (size_t i = 0; i < a.array.size(); ++i)
        if (!same(a.array[i], b.array[i])) return false;
      return true;
    case json::Value::Type::object:
      if (a.object.size() != b.object.size()) return false;
      for (size_t i = 0; i < a.object.size(); ++i)
        if (a.object[i].first != b.object[i].first || !same(a.object[i].second, b.object[i].second)) return false;
      return true;
  }
  return false;
}

void check_json(std::string_view text) {
  auto v = json::parse(text);
  if (!v) {
    FUZZ_CHECK(v.error().code == 400);
    FUZZ_CHECK(!v.error().message.empty());
    return;
  }
  FUZZ_CHECK(all_strings_valid(*v));
  const std::string again = write(*v);
  auto back = json::parse(again);
  FUZZ_CHECK(back.ok());
  FUZZ_CHECK(same(*v, *back));
  // The typed accessors the API handlers use.
  (void)json::string_member(*v, "folder", false);
  (void)json::string_list_member(*v, "to");
  (void)json::uid_list_member(*v, "uids");
  if (auto uid = json::uid_member(*v, "uid", false); uid.ok()) FUZZ_CHECK(*uid >= 1 || !v->get("uid"));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::uint8_t split = in.byte();
  const std::string_view rest = in.rest();

  const std::vector<size_t> whole{rest.size() + 1};
  const std::vector<size_t> pieces{1u + (split & 7u), 1u + (split >> 3), 1, 64};
  std::vector<std::string> bodies;
  const auto a = run_parser(rest, whole, &bodies);
  const auto b = run_parser(rest, pieces);
  FUZZ_CHECK(a == b);
  for (const std::string& body : bodies) check_json(body);
  check_json(rest);
  return 0;
}
