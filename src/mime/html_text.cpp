// HTML to text for previews and search: tags stripped, script/style dropped, character references decoded.
#include "mime/html_text.hpp"

#include <cctype>
#include <cstdint>
#include <optional>

#include "base/strings.hpp"

namespace claret::mime {
namespace {

std::string utf8_encode(uint32_t cp) {
  if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) cp = 0xFFFD;
  std::string out;
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
  return out;
}

struct Entity {
  std::string_view name;
  uint32_t cp;
};
constexpr Entity kEntities[] = {{"amp", '&'},     {"lt", '<'},       {"gt", '>'},      {"quot", '"'},
                                {"apos", '\''},   {"nbsp", 0xA0},    {"copy", 0xA9},   {"reg", 0xAE},
                                {"euro", 0x20AC}, {"hellip", 0x2026}, {"mdash", 0x2014}, {"ndash", 0x2013},
                                {"lsquo", 0x2018}, {"rsquo", 0x2019}, {"ldquo", 0x201C}, {"rdquo", 0x201D},
                                {"bull", 0x2022}, {"middot", 0xB7},  {"laquo", 0xAB},  {"raquo", 0xBB},
                                {"zwnj", 0x200C}, {"zwj", 0x200D},   {"shy", 0xAD}};

struct Reference {
  size_t length = 0;  // bytes consumed, '&' through ';'
  uint32_t code_point = 0;
};

// Parses the character reference at s[i] == '&'; nullopt when it is not one.
std::optional<Reference> parse_reference(std::string_view s, size_t i) {
  const size_t semi = s.find(';', i);
  if (semi == std::string_view::npos || semi - i > 12) return std::nullopt;
  const std::string_view ref = s.substr(i + 1, semi - i - 1);
  if (!ref.empty() && ref[0] == '#') {
    uint32_t cp = 0;
    const bool hex = ref.size() > 1 && (ref[1] == 'x' || ref[1] == 'X');
    const std::string_view digits = ref.substr(hex ? 2 : 1);
    if (digits.empty()) return std::nullopt;
    for (char c : digits) {
      uint32_t d;
      if (c >= '0' && c <= '9') d = static_cast<uint32_t>(c - '0');
      else if (hex && c >= 'a' && c <= 'f') d = static_cast<uint32_t>(c - 'a' + 10);
      else if (hex && c >= 'A' && c <= 'F') d = static_cast<uint32_t>(c - 'A' + 10);
      else return std::nullopt;
      cp = cp * (hex ? 16 : 10) + d;
      if (cp > 0x10FFFF) cp = 0x110000;
    }
    return Reference{semi - i + 1, cp};
  }
  for (const auto& e : kEntities) {
    if (ref == e.name) {
      return Reference{semi - i + 1, e.cp};
    }
  }
  return std::nullopt;
}

bool is_block_tag(std::string_view name) {
  static constexpr std::string_view kBlocks[] = {"p", "br", "div", "tr", "li", "h1", "h2", "h3", "h4", "h5",
                                                 "h6", "table", "ul", "ol", "blockquote", "pre", "hr"};
  for (auto b : kBlocks)
    if (iequals(name, b)) return true;
  return false;
}

}  // namespace

std::string html_to_text(std::string_view html) {
  std::string out;
  out.reserve(html.size() / 2);
  size_t i = 0;
  while (i < html.size()) {
    const char c = html[i];
    if (c == '<') {
      if (html.compare(i, 4, "<!--") == 0) {
        const size_t e = html.find("-->", i + 4);
        i = e == std::string_view::npos ? html.size() : e + 3;
        continue;
      }
      size_t j = i + 1;
      const bool closing = j < html.size() && html[j] == '/';
      if (closing) ++j;
      const size_t name_begin = j;
      while (j < html.size() && (std::isalnum(static_cast<unsigned char>(html[j])) != 0)) ++j;
      const std::string_view name = html.substr(name_begin, j - name_begin);
      if (name.empty() && !(j < html.size() && (html[j] == '!' || html[j] == '?'))) {
        out += c;  // a lone '<' in text
        ++i;
        continue;
      }
      // Skip to the end of the tag, honouring quoted attribute values.
      char quote = 0;
      while (j < html.size()) {
        const char d = html[j];
        if (quote) {
          if (d == quote) quote = 0;
        } else if (d == '"' || d == '\'') {
          quote = d;
        } else if (d == '>') {
          break;
        }
        ++j;
      }
      i = j < html.size() ? j + 1 : html.size();
      if (!closing && (iequals(name, "script") || iequals(name, "style") || iequals(name, "head") ||
                       iequals(name, "title"))) {
        // Raw text elements: drop everything up to the matching end tag.
        const std::string end_tag = "</" + to_lower(name);
        size_t k = i;
        while (k < html.size()) {
          const size_t lt = html.find("</", k);
          if (lt == std::string_view::npos) {
            k = html.size();
            break;
          }
          if (istarts_with(html.substr(lt), end_tag)) {
            const size_t gt = html.find('>', lt);
            k = gt == std::string_view::npos ? html.size() : gt + 1;
            break;
          }
          k = lt + 2;
        }
        i = k;
        continue;
      }
      out += is_block_tag(name) ? '\n' : ' ';
      continue;
    }
    if (c == '&') {
      if (const auto ref = parse_reference(html, i)) {
        out += utf8_encode(ref->code_point);
        i += ref->length;
        continue;
      }
    }
    out += c;
    ++i;
  }
  return out;
}

}  // namespace claret::mime
