// Test support: a reader for IMAP response syntax (RFC 3501 §9: nil, number, quoted, literal, lists) and shape
// checks for ENVELOPE and BODY/BODYSTRUCTURE values. Used by the serializer and corpus tests only.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/strings.hpp"

namespace claret::mime::imap_check {

struct Value {
  enum class Kind { kNil, kNumber, kString, kList };
  Kind kind = Kind::kNil;
  std::string text;
  std::vector<Value> items;
  bool is_nstring() const { return kind == Kind::kNil || kind == Kind::kString; }
};

class SyntaxReader {
 public:
  explicit SyntaxReader(std::string_view s) : s_(s) {}

  // The whole input must be exactly one value.
  std::optional<Value> read_all() {
    auto v = value();
    if (!v || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  std::optional<Value> value() {
    if (i_ >= s_.size()) return std::nullopt;
    const char c = s_[i_];
    Value v;
    if (c == '(') {
      ++i_;
      v.kind = Value::Kind::kList;
      while (true) {
        if (i_ >= s_.size()) return std::nullopt;
        if (s_[i_] == ')') {
          ++i_;
          return v;
        }
        if (!v.items.empty()) {
          // Items are separated by one space; adjacent lists may also touch ("1*body", "1*address").
          if (s_[i_] == ' ') {
            ++i_;
          } else if (!(s_[i_] == '(' && v.items.back().kind == Value::Kind::kList)) {
            return std::nullopt;
          }
        }
        auto item = value();
        if (!item) return std::nullopt;
        v.items.push_back(std::move(*item));
      }
    }
    if (c == '"') {
      ++i_;
      v.kind = Value::Kind::kString;
      while (i_ < s_.size() && s_[i_] != '"') {
        char d = s_[i_];
        if (d == '\\') {
          if (i_ + 1 >= s_.size() || (s_[i_ + 1] != '\\' && s_[i_ + 1] != '"')) return std::nullopt;
          d = s_[++i_];
        } else if (d == '\r' || d == '\n' || d == '\0' || static_cast<unsigned char>(d) >= 0x80) {
          return std::nullopt;
        }
        v.text += d;
        ++i_;
      }
      if (i_ >= s_.size()) return std::nullopt;
      ++i_;
      return v;
    }
    if (c == '{') {
      const size_t close = s_.find('}', i_);
      if (close == std::string_view::npos) return std::nullopt;
      const auto n = parse_u64(s_.substr(i_ + 1, close - i_ - 1));
      if (!n || s_.substr(close + 1, 2) != "\r\n" || close + 3 + *n > s_.size()) return std::nullopt;
      v.kind = Value::Kind::kString;
      v.text = std::string(s_.substr(close + 3, *n));
      if (v.text.find('\0') != std::string::npos) return std::nullopt;
      i_ = close + 3 + *n;
      return v;
    }
    if (s_.substr(i_, 3) == "NIL") {
      i_ += 3;
      return v;
    }
    size_t j = i_;
    while (j < s_.size() && s_[j] >= '0' && s_[j] <= '9') ++j;
    if (j == i_) return std::nullopt;
    v.kind = Value::Kind::kNumber;
    v.text = std::string(s_.substr(i_, j - i_));
    i_ = j;
    return v;
  }

  std::string_view s_;
  size_t i_ = 0;
};

inline bool valid_address_list(const Value& v) {
  if (v.kind == Value::Kind::kNil) return true;
  if (v.kind != Value::Kind::kList || v.items.empty()) return false;
  for (const auto& a : v.items) {
    if (a.kind != Value::Kind::kList || a.items.size() != 4) return false;
    for (const auto& f : a.items)
      if (!f.is_nstring()) return false;
  }
  return true;
}

inline bool valid_envelope(const Value& v) {
  if (v.kind != Value::Kind::kList || v.items.size() != 10) return false;
  for (size_t i : {0, 1, 8, 9})
    if (!v.items[i].is_nstring()) return false;
  for (size_t i = 2; i < 8; ++i)
    if (!valid_address_list(v.items[i])) return false;
  return true;
}

inline bool valid_params(const Value& v) {
  if (v.kind == Value::Kind::kNil) return true;
  if (v.kind != Value::Kind::kList || v.items.empty() || v.items.size() % 2 != 0) return false;
  for (const auto& s : v.items)
    if (s.kind != Value::Kind::kString) return false;
  return true;
}

// body-fld-dsp SP body-fld-lang SP body-fld-loc starting at items[k].
inline bool valid_ext_tail(const std::vector<Value>& items, size_t k) {
  if (items.size() != k + 3) return false;
  const Value& dsp = items[k];
  if (dsp.kind == Value::Kind::kList) {
    if (dsp.items.size() != 2 || dsp.items[0].kind != Value::Kind::kString || !valid_params(dsp.items[1]))
      return false;
  } else if (dsp.kind != Value::Kind::kNil) {
    return false;
  }
  const Value& lang = items[k + 1];
  if (lang.kind == Value::Kind::kList) {
    for (const auto& s : lang.items)
      if (s.kind != Value::Kind::kString) return false;
  } else if (!lang.is_nstring()) {
    return false;
  }
  return items[k + 2].is_nstring();
}

inline bool valid_body(const Value& v, bool extended, int depth = 0) {
  if (v.kind != Value::Kind::kList || v.items.empty() || depth > 200) return false;
  const auto& it = v.items;
  if (it[0].kind == Value::Kind::kList) {  // body-type-mpart
    size_t k = 0;
    while (k < it.size() && it[k].kind == Value::Kind::kList) {
      if (!valid_body(it[k], extended, depth + 1)) return false;
      ++k;
    }
    if (k >= it.size() || it[k].kind != Value::Kind::kString) return false;
    ++k;
    if (!extended) return k == it.size();
    return k < it.size() && valid_params(it[k]) && valid_ext_tail(it, k + 1);
  }
  if (it.size() < 7 || it[0].kind != Value::Kind::kString || it[1].kind != Value::Kind::kString ||
      !valid_params(it[2]) || !it[3].is_nstring() || !it[4].is_nstring() || it[5].kind != Value::Kind::kString ||
      it[6].kind != Value::Kind::kNumber)
    return false;
  size_t k = 7;
  const std::string type = to_upper(it[0].text), subtype = to_upper(it[1].text);
  if (type == "TEXT") {
    if (k >= it.size() || it[k].kind != Value::Kind::kNumber) return false;
    ++k;
  } else if (type == "MESSAGE" && (subtype == "RFC822" || subtype == "GLOBAL")) {
    if (k + 2 >= it.size() || !valid_envelope(it[k]) || !valid_body(it[k + 1], extended, depth + 1) ||
        it[k + 2].kind != Value::Kind::kNumber)
      return false;
    k += 3;
  }
  if (!extended) return k == it.size();
  return k < it.size() && it[k].is_nstring() && valid_ext_tail(it, k + 1);
}

}  // namespace claret::mime::imap_check
