// Address-list parsing: RFC 5322 §3.4, §3.2.2 (CFWS), §3.2.4 (quoted-string), §4.4 (obsolete addressing).
#include "mime/address.hpp"

#include <algorithm>

#include "mime/encoded_word.hpp"

namespace claret::mime {
namespace {

struct Token {
  enum class Type { kAtom, kQuoted, kLiteral, kSpecial };
  Type type;
  std::string_view raw;  // as written (quoted strings with their quotes)
  std::string text;      // atoms: raw; quoted: content without escapes; special: the character
  char special = 0;
};

bool is_special(char c) {
  return c == '(' || c == ')' || c == '<' || c == '>' || c == '[' || c == ':' || c == ';' || c == '@' ||
         c == ',' || c == '.' || c == '"';
}
bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < s.size()) {
    const char c = s[i];
    if (is_space(c) || static_cast<unsigned char>(c) < 0x20) {
      ++i;
    } else if (c == '(') {  // comment, nested, with quoted-pairs (§3.2.2)
      int depth = 0;
      while (i < s.size()) {
        const char d = s[i++];
        if (d == '\\' && i < s.size()) {
          ++i;
        } else if (d == '(') {
          ++depth;
        } else if (d == ')' && --depth == 0) {
          break;
        }
      }
    } else if (c == '"') {
      const size_t b = i++;
      std::string text;
      while (i < s.size() && s[i] != '"') {
        if (s[i] == '\\' && i + 1 < s.size()) ++i;
        if (s[i] != '\r' && s[i] != '\n') text += s[i];
        ++i;
      }
      if (i < s.size()) ++i;
      out.push_back({Token::Type::kQuoted, s.substr(b, i - b), std::move(text), 0});
    } else if (c == '[') {
      const size_t b = i;
      while (i < s.size() && s[i] != ']') i += (s[i] == '\\' && i + 1 < s.size()) ? 2 : 1;
      if (i < s.size()) ++i;
      const std::string_view raw = s.substr(b, std::min(i, s.size()) - b);
      out.push_back({Token::Type::kLiteral, raw, std::string(raw), 0});
    } else if (c == ')') {
      ++i;  // stray comment end
    } else if (is_special(c)) {
      out.push_back({Token::Type::kSpecial, s.substr(i, 1), std::string(1, c), c});
      ++i;
    } else {
      const size_t b = i;
      while (i < s.size() && !is_space(s[i]) && !is_special(s[i]) && static_cast<unsigned char>(s[i]) >= 0x20) ++i;
      out.push_back({Token::Type::kAtom, s.substr(b, i - b), std::string(s.substr(b, i - b)), 0});
    }
  }
  return out;
}

bool is_sp(const Token& t, char c) { return t.type == Token::Type::kSpecial && t.special == c; }

// obs-phrase: words separated by single spaces, '.' glued to the previous word.
std::string phrase(const std::vector<Token>& t, size_t b, size_t e) {
  std::string out;
  for (size_t i = b; i < e; ++i) {
    if (t[i].type == Token::Type::kSpecial) {
      if (t[i].special == '.') out += '.';
      continue;
    }
    if (!out.empty()) out += ' ';
    out += t[i].text;
  }
  return out;
}

// Concatenation of the raw tokens (local parts and domains are written without spaces).
std::string raw_join(const std::vector<Token>& t, size_t b, size_t e) {
  std::string out;
  for (size_t i = b; i < e; ++i)
    if (t[i].type != Token::Type::kSpecial || t[i].special == '.') out += t[i].raw;
  return out;
}

class AddressParser {
 public:
  explicit AddressParser(std::string_view value) : t_(tokenize(value)) {}

  std::vector<Address> run() {
    size_t i = 0;
    const size_t n = t_.size();
    while (i < n) {
      if (is_sp(t_[i], ',') || is_sp(t_[i], '>')) {
        ++i;
        continue;
      }
      if (is_sp(t_[i], ';')) {
        end_group();
        ++i;
        continue;
      }
      size_t j = i;
      while (j < n && !(is_sp(t_[j], '<') || is_sp(t_[j], ':') || is_sp(t_[j], '@') || is_sp(t_[j], ',') ||
                        is_sp(t_[j], ';')))
        ++j;
      if (j < n && is_sp(t_[j], ':')) {
        if (!in_group_) {
          Address g;
          g.kind = Address::Kind::kGroupStart;
          g.raw_name = phrase(t_, i, j);
          g.name = decode_encoded_words(g.raw_name);
          out_.push_back(std::move(g));
          in_group_ = true;
        }
        i = j + 1;
        continue;
      }
      if (j < n && is_sp(t_[j], '<')) {
        i = angle_addr(phrase(t_, i, j), j + 1);
        continue;
      }
      if (j < n && is_sp(t_[j], '@')) {
        size_t k = j + 1;
        while (k < n && !(is_sp(t_[k], ',') || is_sp(t_[k], ';') || is_sp(t_[k], '<') || is_sp(t_[k], '>') ||
                          is_sp(t_[k], ':') || is_sp(t_[k], '@')))
          ++k;
        if (k < n && is_sp(t_[k], '<')) {
          // "user@host <real@address>": the first part was meant as a display name.
          i = angle_addr(phrase(t_, i, j) + "@" + phrase(t_, j + 1, k), k + 1);
          continue;
        }
        Address a;
        a.local_part = raw_join(t_, i, j);
        a.domain = raw_join(t_, j + 1, k);
        push(std::move(a));
        i = skip_to_separator(k);
        continue;
      }
      // A bare word list without '@' (for example "Whomever" or "undisclosed-recipients"): a local part alone.
      if (j > i) {
        Address a;
        a.local_part = raw_join(t_, i, j);
        push(std::move(a));
      }
      i = j;
    }
    end_group();
    return std::move(out_);
  }

 private:
  // Parses an angle-addr after '<' with display name `name`; returns the index after it.
  size_t angle_addr(std::string name, size_t k) {
    const size_t n = t_.size();
    Address a;
    a.raw_name = std::move(name);
    a.name = decode_encoded_words(a.raw_name);
    // obs-route: 1*("@" domain / ",") ":"
    if (k < n && is_sp(t_[k], '@')) {
      size_t r = k;
      while (r < n && !is_sp(t_[r], ':') && !is_sp(t_[r], '>')) ++r;
      if (r < n && is_sp(t_[r], ':')) {
        for (size_t x = k; x < r; ++x) a.route += t_[x].raw;
        k = r + 1;
      }
    }
    size_t at = k;
    while (at < n && !is_sp(t_[at], '@') && !is_sp(t_[at], '>') && !is_sp(t_[at], ',') && !is_sp(t_[at], ';')) ++at;
    a.local_part = raw_join(t_, k, at);
    size_t e = at;
    if (at < n && is_sp(t_[at], '@')) {
      e = at + 1;
      while (e < n && !is_sp(t_[e], '>') && !is_sp(t_[e], ',') && !is_sp(t_[e], ';') && !is_sp(t_[e], '<')) ++e;
      a.domain = raw_join(t_, at + 1, e);
    }
    if (e < n && is_sp(t_[e], '>')) ++e;
    push(std::move(a));
    return skip_to_separator(e);
  }

  // Skips junk after an address up to the next ',' or ';' (which the main loop handles).
  size_t skip_to_separator(size_t k) const {
    while (k < t_.size() && !is_sp(t_[k], ',') && !is_sp(t_[k], ';')) ++k;
    return k;
  }

  void push(Address a) {
    if (a.local_part.empty() && a.domain.empty() && a.raw_name.empty()) return;
    out_.push_back(std::move(a));
  }

  void end_group() {
    if (!in_group_) return;
    Address e;
    e.kind = Address::Kind::kGroupEnd;
    out_.push_back(std::move(e));
    in_group_ = false;
  }

  std::vector<Token> t_;
  std::vector<Address> out_;
  bool in_group_ = false;
};

}  // namespace

std::string Address::addr_spec() const { return domain.empty() ? local_part : local_part + "@" + domain; }

std::vector<Address> parse_address_list(std::string_view value) { return AddressParser(value).run(); }

std::vector<Address> parse_mailboxes(std::string_view value) {
  std::vector<Address> out;
  for (auto& a : parse_address_list(value))
    if (a.kind == Address::Kind::kMailbox) out.push_back(std::move(a));
  return out;
}

}  // namespace claret::mime
