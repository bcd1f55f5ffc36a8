// RFC 2047 encoded-word decoding (§2, §4.1 B, §4.2 Q, §6.2) with charsets converted by iconv.
#include "mime/encoded_word.hpp"

#include <algorithm>
#include <optional>

#include "base/base64.hpp"
#include "mime/charset.hpp"
#include "mime/header.hpp"
#include "mime/quoted_printable.hpp"

namespace claret::mime {
namespace {

struct Word {
  std::string_view charset;
  std::string bytes;  // decoded but not yet converted
  size_t length = 0;  // bytes of input consumed, "=?" through "?="
};

bool is_lws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Parses "=?charset[*lang]?enc?text?=" at the start of `s`. Encoded text may not contain spaces or '?' (§2).
std::optional<Word> parse_word(std::string_view s) {
  if (s.size() < 8 || s[0] != '=' || s[1] != '?') return std::nullopt;
  const size_t q1 = s.find('?', 2);
  if (q1 == std::string_view::npos || q1 == 2 || q1 + 3 >= s.size() || s[q1 + 2] != '?') return std::nullopt;
  std::string_view charset = s.substr(2, q1 - 2);
  for (char c : charset)
    if (is_lws(c) || c == '"' || c == '(' || c == ')') return std::nullopt;
  if (const size_t star = charset.find('*'); star != std::string_view::npos) charset = charset.substr(0, star);
  const char enc = s[q1 + 1];
  const size_t text_begin = q1 + 3;
  size_t end = text_begin;
  while (end + 1 < s.size() && !(s[end] == '?' && s[end + 1] == '=')) {
    if (is_lws(s[end])) return std::nullopt;
    ++end;
  }
  if (end + 1 >= s.size()) return std::nullopt;
  const std::string_view text = s.substr(text_begin, end - text_begin);
  Word w;
  w.charset = charset;
  w.length = end + 2;
  if (enc == 'B' || enc == 'b') {
    w.bytes = base64_decode_lenient(text);
  } else if (enc == 'Q' || enc == 'q') {
    w.bytes = q_word_decode(text);
  } else {
    return std::nullopt;
  }
  return w;
}

}  // namespace

std::string decode_encoded_words(std::string_view text) {
  if (text.find("=?") == std::string_view::npos) return sanitize_utf8(text);
  std::string out;
  out.reserve(text.size());
  std::string pending;                // decoded bytes of the current run of adjacent words
  std::string_view pending_charset;   // their charset
  auto flush = [&] {
    if (!pending.empty()) out += to_utf8(pending, pending_charset);
    pending.clear();
  };
  size_t i = 0;
  size_t literal_begin = 0;   // start of text not yet copied
  bool last_was_word = false;  // the previous token was an encoded word (for the §6.2 whitespace rule)
  while (i < text.size()) {
    if (text[i] == '=' && i + 1 < text.size() && text[i + 1] == '?') {
      if (auto w = parse_word(text.substr(i))) {
        std::string_view between = text.substr(literal_begin, i - literal_begin);
        bool only_space = true;
        for (char c : between) only_space = only_space && is_lws(c);
        if (!(last_was_word && only_space)) {
          flush();
          out += sanitize_utf8(between);
        }
        if (!pending.empty() && !(w->charset.size() == pending_charset.size() &&
                                  std::equal(w->charset.begin(), w->charset.end(), pending_charset.begin(),
                                             [](char a, char b) { return (a | 0x20) == (b | 0x20); })))
          flush();
        pending_charset = w->charset;
        pending += w->bytes;
        i += w->length;
        literal_begin = i;
        last_was_word = true;
        continue;
      }
    }
    // Any non-space text ends a run of adjacent words (§6.2 applies only to whitespace between words).
    if (!is_lws(text[i])) last_was_word = false;
    ++i;
  }
  flush();
  out += sanitize_utf8(text.substr(literal_begin));
  return out;
}

}  // namespace claret::mime
