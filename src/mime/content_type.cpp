// Content-Type / Content-Disposition parsing: RFC 2045 §5.1, RFC 2183 §2, RFC 2231 §3 (continuations),
// §4 (charset'language'value with %XX octets).
#include "mime/content_type.hpp"

#include <algorithm>
#include <optional>

#include "base/strings.hpp"
#include "mime/charset.hpp"

namespace claret::mime {
namespace {

constexpr size_t kMaxSegments = 1000;  // bounds hostile "name*99999999" continuations
constexpr size_t kMaxParams = 256;     // bounds the linear name lookup on hostile parameter lists

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// A cursor over a structured header value that skips CFWS (RFC 5322 §3.2.2).
class Cursor {
 public:
  explicit Cursor(std::string_view s) : s_(s) {}
  bool done() const { return i_ >= s_.size(); }
  char peek() const { return done() ? '\0' : s_[i_]; }
  void next() { ++i_; }
  void skip_cfws() {
    while (!done()) {
      if (is_space(s_[i_])) {
        ++i_;
      } else if (s_[i_] == '(') {
        int depth = 0;
        while (!done()) {
          const char c = s_[i_++];
          if (c == '\\' && !done()) {
            ++i_;
          } else if (c == '(') {
            ++depth;
          } else if (c == ')' && --depth == 0) {
            break;
          }
        }
      } else {
        return;
      }
    }
  }
  // A token: any characters except whitespace, controls and the listed stop characters.
  std::string_view token(std::string_view stops) {
    const size_t b = i_;
    while (!done() && !is_space(s_[i_]) && static_cast<unsigned char>(s_[i_]) >= 0x20 &&
           stops.find(s_[i_]) == std::string_view::npos)
      ++i_;
    return s_.substr(b, i_ - b);
  }
  // A quoted string at the cursor (opening quote included); backslash escapes removed. Unterminated
  // strings run to the end of the value.
  std::string quoted() {
    std::string out;
    ++i_;
    while (!done()) {
      const char c = s_[i_++];
      if (c == '"') break;
      if (c == '\\' && !done()) {
        out += s_[i_++];
      } else if (c != '\r' && c != '\n') {
        out += c;
      }
    }
    return out;
  }
  void skip_to(char c) {
    while (!done() && s_[i_] != c) ++i_;
  }
  std::string_view rest() const { return done() ? std::string_view() : s_.substr(i_); }

 private:
  std::string_view s_;
  size_t i_ = 0;
};

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      const int hi = hex_value(s[i + 1]), lo = hex_value(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out += static_cast<char>(hi * 16 + lo);
        i += 2;
        continue;
      }
    }
    out += s[i];
  }
  return out;
}

struct Segment {
  std::string value;
  bool encoded = false;
};

struct Pending {
  std::string name;
  std::vector<std::pair<size_t, Segment>> segments;  // RFC 2231 §3 (index, segment), in arrival order
  bool has_plain = false;                             // an un-numbered "name=" or "name*=" form
  Segment plain;
};

}  // namespace

std::vector<Param> parse_parameters(std::string_view list) {
  // Few parameters per field: a vector in first-appearance order beats a map, and keeps the original order.
  std::vector<Pending> pending;
  Cursor c(list);
  while (!c.done()) {
    c.skip_cfws();
    if (c.peek() == ';') {
      c.next();
      continue;
    }
    if (c.done()) break;
    std::string attribute = to_lower(c.token("=;\"()"));
    c.skip_cfws();
    if (attribute.empty() || c.peek() != '=') {
      // Garbage such as a stray quoted string or a parameter without a value: skip to the next ';'.
      if (attribute.empty() && c.peek() != ';' && !c.done()) c.next();
      c.skip_to(';');
      continue;
    }
    c.next();
    c.skip_cfws();
    std::string value;
    if (c.peek() == '"') {
      value = c.quoted();
    } else {
      // Unquoted values may illegally contain tspecials or spaces ("boundary=a b"): take up to ';' and trim.
      const std::string_view rest = c.rest();
      const size_t semi = rest.find(';');
      std::string_view raw = trim(rest.substr(0, semi));
      // A trailing comment after a token value is not part of it.
      if (const size_t paren = raw.find('('); paren != std::string_view::npos && paren > 0) raw = trim(raw.substr(0, paren));
      value.assign(raw);
      c.skip_to(';');
    }
    // RFC 2231 §3/§4: name*n, name*n*, name*.
    bool encoded = false;
    std::optional<size_t> index;
    if (!attribute.empty() && attribute.back() == '*') {
      encoded = true;
      attribute.pop_back();
    }
    if (const size_t star = attribute.find('*'); star != std::string::npos) {
      if (auto n = parse_u64(attribute.substr(star + 1)); n && *n < kMaxSegments) index = static_cast<size_t>(*n);
      attribute.resize(star);
      if (!index) continue;
    }
    if (attribute.empty()) continue;
    auto it = std::find_if(pending.begin(), pending.end(), [&](const Pending& p) { return p.name == attribute; });
    if (it == pending.end()) {
      if (pending.size() >= kMaxParams) continue;
      it = pending.insert(pending.end(), Pending{std::move(attribute), {}, false, {}});
    }
    Segment seg{std::move(value), encoded};
    if (index) {
      if (it->segments.size() < kMaxSegments) it->segments.emplace_back(*index, std::move(seg));
    } else if (!it->has_plain || (encoded && !it->plain.encoded)) {
      // name*= beats name= (RFC 2231 §4 senders give both for old readers).
      it->has_plain = true;
      it->plain = std::move(seg);
    }
  }

  std::vector<Param> out;
  out.reserve(pending.size());
  for (Pending& entry : pending) {
    std::vector<Segment> segs;
    if (!entry.segments.empty()) {
      // Segments may arrive in any order (RFC 2231 §3); a repeated index keeps its first value, and the
      // continuation must be contiguous from 0, stopping at the first gap.
      std::stable_sort(entry.segments.begin(), entry.segments.end(),
                       [](const auto& a, const auto& b) { return a.first < b.first; });
      size_t expect = 0;
      for (auto& [idx, seg] : entry.segments) {
        if (idx + 1 == expect) continue;  // duplicate of the previous index
        if (idx != expect) break;
        segs.push_back(std::move(seg));
        ++expect;
      }
    }
    if (segs.empty()) {
      if (!entry.has_plain) continue;
      segs.push_back(std::move(entry.plain));
    }
    Param p;
    p.name = std::move(entry.name);
    std::string charset;
    bool any_encoded = false;
    std::string bytes;
    for (size_t k = 0; k < segs.size(); ++k) {
      std::string_view v = segs[k].value;
      if (segs[k].encoded) {
        if (k == 0) {
          // charset'language'value; a malformed initial segment without quotes is taken as plain %-text.
          const size_t q1 = v.find('\'');
          const size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
          if (q2 != std::string_view::npos) {
            charset.assign(v.substr(0, q1));
            p.language.assign(v.substr(q1 + 1, q2 - q1 - 1));
            v = v.substr(q2 + 1);
          }
        }
        any_encoded = true;
        bytes += percent_decode(v);
      } else {
        bytes += v;
      }
    }
    if (any_encoded) {
      p.value = to_utf8(bytes, charset);
      p.extended = true;
    } else {
      p.value = std::move(bytes);
    }
    out.push_back(std::move(p));
  }
  return out;
}

ContentType parse_content_type(std::string_view value) {
  ContentType ct;
  Cursor c(value);
  c.skip_cfws();
  std::string type = to_lower(c.token("/;()\""));
  c.skip_cfws();
  if (c.peek() == '/') {
    c.next();
    c.skip_cfws();
    std::string subtype = to_lower(c.token("/;()\""));
    if (!type.empty() && !subtype.empty()) {
      ct.type = std::move(type);
      ct.subtype = std::move(subtype);
    }
  }
  c.skip_to(';');
  ct.params = parse_parameters(c.rest());
  return ct;
}

ContentDisposition parse_content_disposition(std::string_view value) {
  ContentDisposition cd;
  Cursor c(value);
  c.skip_cfws();
  cd.type = to_lower(c.token(";()\""));
  c.skip_to(';');
  cd.params = parse_parameters(c.rest());
  return cd;
}

const Param* find_param(const std::vector<Param>& params, std::string_view name) {
  for (const auto& p : params)
    if (iequals(p.name, name)) return &p;
  return nullptr;
}

}  // namespace claret::mime
