// A small JSON reader (RFC 8259) for request bodies and a builder for response bodies. Request bodies are
// bounded by the HTTP parser, and nesting by kMaxDepth, so parsing cost is bounded too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/result.hpp"

namespace claret::webmail::json {

struct Value {
  // Declared here, defined in json.cpp where Value is complete: the implicit ones need pair<string, Value>
  // complete inside Value's own definition, which clang (with libstdc++ 12) rejects — the fuzz build uses clang.
  Value();
  Value(const Value&);
  Value(Value&&) noexcept;
  Value& operator=(const Value&);
  Value& operator=(Value&&) noexcept;
  ~Value();

  enum class Type { null, boolean, number, string, array, object };
  Type type = Type::null;
  bool boolean = false;
  double number = 0;
  std::string string;
  std::vector<Value> array;
  std::vector<std::pair<std::string, Value>> object;

  const Value* get(std::string_view key) const;  // object member or nullptr
  bool is_string() const { return type == Type::string; }
};

inline constexpr int kMaxDepth = 32;

Result<Value> parse(std::string_view text);

// Typed access to an object's members; Error (code 400) names the member.
Result<std::string> string_member(const Value& object, std::string_view key, bool required = true);
Result<std::vector<std::string>> string_list_member(const Value& object, std::string_view key);
Result<std::vector<uint32_t>> uid_list_member(const Value& object, std::string_view key);
Result<uint32_t> uid_member(const Value& object, std::string_view key, bool required = true);

// Builds one JSON object (or array) as text.
class Builder {
 public:
  static Builder object() { return Builder('{', '}'); }
  static Builder array() { return Builder('[', ']'); }
  Builder& key(std::string_view k);
  Builder& str(std::string_view v);
  Builder& num(int64_t v);
  Builder& num_u(uint64_t v);
  Builder& boolean(bool v);
  Builder& null();
  Builder& raw(std::string_view json);  // an already-encoded value
  // key + value shorthands
  Builder& field(std::string_view k, std::string_view v) { return key(k).str(v); }
  Builder& field(std::string_view k, const char* v) { return key(k).str(v); }
  Builder& field(std::string_view k, const std::string& v) { return key(k).str(v); }
  Builder& field_num(std::string_view k, int64_t v) { return key(k).num(v); }
  Builder& field_bool(std::string_view k, bool v) { return key(k).boolean(v); }
  Builder& field_raw(std::string_view k, std::string_view json) { return key(k).raw(json); }
  std::string done();

 private:
  Builder(char open, char close) : text_(1, open), close_(close) {}
  void separate();
  std::string text_;
  char close_;
  bool first_ = true;
  bool after_key_ = false;
};

std::string string_array(const std::vector<std::string>& items);

}  // namespace claret::webmail::json
