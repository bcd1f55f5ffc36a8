// JSON reading and writing for the webmail API.
#include "webmail/server/json.hpp"

#include <cmath>
#include <cstdlib>

#include "base/utf8.hpp"
#include "webmail/http/response.hpp"

namespace claret::webmail::json {
namespace {

// Offset of the first byte that is not part of well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates,
// nothing above U+10FFFF), or npos. JSON text is UTF-8 (RFC 8259 §8.1); the handlers pass strings on to IMAP
// and SMTP, which expect it.
size_t invalid_utf8_at(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    const size_t n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
    if (n == 0) return i;
    uint32_t cp = c & (0x7f >> (n + 1));
    for (size_t k = 1; k <= n; ++k) {
      if (i + k >= s.size()) return i;
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3f);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && cp < 0x10000) || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
      return i;
    i += n + 1;
  }
  return std::string_view::npos;
}

class Reader {
 public:
  explicit Reader(std::string_view s) : s_(s) {}

  Result<Value> document() {
    if (size_t bad = invalid_utf8_at(s_); bad != std::string_view::npos)
      return make_error("invalid JSON: not UTF-8 at offset " + std::to_string(bad), 400);
    Value v;
    if (!value(v, 0)) return make_error(error_, 400);
    ws();
    if (i_ != s_.size()) return make_error("invalid JSON: trailing data", 400);
    return v;
  }

 private:
  bool fail(std::string message) {
    if (error_.empty()) error_ = "invalid JSON: " + std::move(message) + " at offset " + std::to_string(i_);
    return false;
  }

  void ws() {
    while (i_ < s_.size() && (s_[i_] == ' ' || s_[i_] == '\t' || s_[i_] == '\n' || s_[i_] == '\r')) ++i_;
  }

  bool literal(std::string_view word) {
    if (s_.substr(i_, word.size()) != word) return fail("unexpected token");
    i_ += word.size();
    return true;
  }

  bool value(Value& v, int depth) {
    if (depth > kMaxDepth) return fail("nested too deeply");
    ws();
    if (i_ >= s_.size()) return fail("unexpected end");
    char c = s_[i_];
    if (c == '{') return object(v, depth);
    if (c == '[') return array(v, depth);
    if (c == '"') {
      v.type = Value::Type::string;
      return string(v.string);
    }
    if (c == 't') {
      v.type = Value::Type::boolean;
      v.boolean = true;
      return literal("true");
    }
    if (c == 'f') {
      v.type = Value::Type::boolean;
      return literal("false");
    }
    if (c == 'n') return literal("null");
    if (c == '-' || (c >= '0' && c <= '9')) return number(v);
    return fail("unexpected character");
  }

  bool number(Value& v) {
    size_t start = i_;
    if (s_[i_] == '-') ++i_;
    auto digits = [&] {
      size_t d = i_;
      while (i_ < s_.size() && s_[i_] >= '0' && s_[i_] <= '9') ++i_;
      return i_ > d;
    };
    if (!digits()) return fail("bad number");
    if (i_ < s_.size() && s_[i_] == '.') {
      ++i_;
      if (!digits()) return fail("bad number");
    }
    if (i_ < s_.size() && (s_[i_] == 'e' || s_[i_] == 'E')) {
      ++i_;
      if (i_ < s_.size() && (s_[i_] == '+' || s_[i_] == '-')) ++i_;
      if (!digits()) return fail("bad number");
    }
    v.type = Value::Type::number;
    v.number = std::strtod(std::string(s_.substr(start, i_ - start)).c_str(), nullptr);
    return true;
  }


  bool hex4(uint32_t& out) {
    if (i_ + 4 > s_.size()) return fail("bad \\u escape");
    out = 0;
    for (int k = 0; k < 4; ++k) {
      char c = s_[i_++];
      int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
      if (d < 0) return fail("bad \\u escape");
      out = out * 16 + static_cast<uint32_t>(d);
    }
    return true;
  }

  bool string(std::string& out) {
    ++i_;  // opening quote
    for (;;) {
      if (i_ >= s_.size()) return fail("unterminated string");
      char c = s_[i_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return fail("control character in string");
      if (c != '\\') {
        out += c;
        continue;
      }
      if (i_ >= s_.size()) return fail("unterminated string");
      char e = s_[i_++];
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          uint32_t cp;
          if (!hex4(cp)) return false;
          if (cp >= 0xd800 && cp <= 0xdbff && s_.substr(i_, 2) == "\\u") {
            i_ += 2;
            uint32_t lo;
            if (!hex4(lo)) return false;
            if (lo >= 0xdc00 && lo <= 0xdfff) cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
            else cp = 0xfffd;
          } else if (cp >= 0xd800 && cp <= 0xdfff) {
            cp = 0xfffd;
          }
          append_utf8(out, cp);
          break;
        }
        default: return fail("bad escape");
      }
    }
  }

  bool array(Value& v, int depth) {
    v.type = Value::Type::array;
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == ']') {
      ++i_;
      return true;
    }
    for (;;) {
      v.array.emplace_back();
      if (!value(v.array.back(), depth + 1)) return false;
      ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == ']') {
        ++i_;
        return true;
      }
      return fail("expected ',' or ']'");
    }
  }

  bool object(Value& v, int depth) {
    v.type = Value::Type::object;
    ++i_;
    ws();
    if (i_ < s_.size() && s_[i_] == '}') {
      ++i_;
      return true;
    }
    for (;;) {
      ws();
      if (i_ >= s_.size() || s_[i_] != '"') return fail("expected a member name");
      std::string key;
      if (!string(key)) return false;
      ws();
      if (i_ >= s_.size() || s_[i_] != ':') return fail("expected ':'");
      ++i_;
      v.object.emplace_back(std::move(key), Value{});
      if (!value(v.object.back().second, depth + 1)) return false;
      ws();
      if (i_ < s_.size() && s_[i_] == ',') {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '}') {
        ++i_;
        return true;
      }
      return fail("expected ',' or '}'");
    }
  }

  std::string_view s_;
  size_t i_ = 0;
  std::string error_;
};

}  // namespace

Value::Value() = default;
Value::Value(const Value&) = default;
Value::Value(Value&&) noexcept = default;
Value& Value::operator=(const Value&) = default;
Value& Value::operator=(Value&&) noexcept = default;
Value::~Value() = default;

const Value* Value::get(std::string_view key) const {
  if (type != Type::object) return nullptr;
  for (const auto& [k, v] : object)
    if (k == key) return &v;
  return nullptr;
}

Result<Value> parse(std::string_view text) { return Reader(text).document(); }

Result<std::string> string_member(const Value& o, std::string_view key, bool required) {
  const Value* v = o.get(key);
  if (!v || v->type == Value::Type::null) {
    if (required) return make_error("\"" + std::string(key) + "\" is required", 400);
    return std::string();
  }
  if (!v->is_string()) return make_error("\"" + std::string(key) + "\" must be a string", 400);
  return v->string;
}

Result<std::vector<std::string>> string_list_member(const Value& o, std::string_view key) {
  std::vector<std::string> out;
  const Value* v = o.get(key);
  if (!v || v->type == Value::Type::null) return out;
  if (v->type != Value::Type::array) return make_error("\"" + std::string(key) + "\" must be a list of strings", 400);
  for (const auto& item : v->array) {
    if (!item.is_string()) return make_error("\"" + std::string(key) + "\" must be a list of strings", 400);
    out.push_back(item.string);
  }
  return out;
}

namespace {
std::optional<uint32_t> as_uid(const Value& v) {
  if (v.type != Value::Type::number || v.number < 1 || v.number > 4294967295.0 || std::floor(v.number) != v.number)
    return std::nullopt;
  return static_cast<uint32_t>(v.number);
}
}  // namespace

Result<std::vector<uint32_t>> uid_list_member(const Value& o, std::string_view key) {
  const Value* v = o.get(key);
  std::string msg = "\"" + std::string(key) + "\" must be a non-empty list of message uids";
  if (!v || v->type != Value::Type::array || v->array.empty() || v->array.size() > 100000) return make_error(msg, 400);
  std::vector<uint32_t> out;
  for (const auto& item : v->array) {
    auto uid = as_uid(item);
    if (!uid) return make_error(msg, 400);
    out.push_back(*uid);
  }
  return out;
}

Result<uint32_t> uid_member(const Value& o, std::string_view key, bool required) {
  const Value* v = o.get(key);
  if (!v || v->type == Value::Type::null) {
    if (required) return make_error("\"" + std::string(key) + "\" is required", 400);
    return 0u;
  }
  auto uid = as_uid(*v);
  if (!uid) return make_error("\"" + std::string(key) + "\" must be a message uid", 400);
  return *uid;
}

void Builder::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (!first_) text_ += ',';
  first_ = false;
}

Builder& Builder::key(std::string_view k) {
  separate();
  text_ += http::json_quote(k);
  text_ += ':';
  after_key_ = true;
  return *this;
}

Builder& Builder::str(std::string_view v) {
  separate();
  text_ += http::json_quote(v);
  return *this;
}

Builder& Builder::num(int64_t v) {
  separate();
  text_ += std::to_string(v);
  return *this;
}

Builder& Builder::num_u(uint64_t v) {
  separate();
  text_ += std::to_string(v);
  return *this;
}

Builder& Builder::boolean(bool v) {
  separate();
  text_ += v ? "true" : "false";
  return *this;
}

Builder& Builder::null() {
  separate();
  text_ += "null";
  return *this;
}

Builder& Builder::raw(std::string_view json) {
  separate();
  text_ += json;
  return *this;
}

std::string Builder::done() { return text_ + close_; }

std::string string_array(const std::vector<std::string>& items) {
  Builder b = Builder::array();
  for (const auto& s : items) b.str(s);
  return b.done();
}

}  // namespace claret::webmail::json
