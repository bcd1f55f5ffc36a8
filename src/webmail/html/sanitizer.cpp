// A small HTML tokenizer plus allowlist filter. It does not build a tree: it re-emits allowed start and
// end tags with re-quoted, re-escaped attributes, escapes every stray '<' in text, and drops whole
// elements whose content is never shown (script, style with active CSS, head metadata, frames, forms'
// controls). Because everything it writes is re-serialised, no browser parsing quirk of the input
// (unquoted attributes, missing '>', entity tricks) survives into the output.
#include "webmail/html/sanitizer.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include "base/strings.hpp"
#include "base/utf8.hpp"

namespace claret::webmail::html {
namespace {

// Shown as-is (attributes filtered).
const std::set<std::string, std::less<>> kAllowedTags = {
    "a", "abbr", "address", "article", "aside", "b", "bdi", "bdo", "big", "blockquote", "br", "caption",
    "center", "cite", "code", "col", "colgroup", "dd", "del", "details", "dfn", "div", "dl", "dt", "em",
    "figcaption", "figure", "font", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "i", "img",
    "ins", "kbd", "li", "main", "mark", "nav", "ol", "p", "pre", "q", "rp", "rt", "ruby", "s", "samp",
    "section", "small", "span", "strike", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "time", "tr", "tt", "u", "ul", "var", "wbr", "style"};

// Dropped together with everything inside them.
const std::set<std::string, std::less<>> kDropWithContent = {
    "script", "iframe", "frame", "frameset", "object", "embed", "applet", "noscript", "noembed", "noframes",
    "template", "title", "textarea", "select", "button", "svg", "math", "xmp", "plaintext", "option", "head"};

// Raw-text elements: their content is not markup (RFC-less, per the HTML parsing spec).
const std::set<std::string, std::less<>> kRawText = {"script", "style", "textarea", "title", "xmp", "noscript",
                                                      "noembed", "noframes", "iframe", "plaintext"};

const std::set<std::string, std::less<>> kVoidTags = {"br", "col", "hr", "img", "wbr", "area", "base", "input",
                                                       "link", "meta", "param", "source", "track", "embed"};

const std::set<std::string, std::less<>> kAllowedAttributes = {
    "align", "alt", "bgcolor", "border", "cellpadding", "cellspacing", "class", "color", "cols", "colspan",
    "dir", "face", "height", "hspace", "lang", "rowspan", "size", "span", "start", "style", "title", "type",
    "valign", "vspace", "width", "href", "src", "datetime", "open", "reversed", "abbr", "scope", "headers",
    "nowrap", "background"};

struct Attribute {
  std::string name;   // lower-case
  std::string value;  // entity-decoded
};

struct Tag {
  std::string name;  // lower-case
  bool end = false;
  bool self_closing = false;
  std::vector<Attribute> attributes;
};

// Character references may name anything: invalid code points become U+FFFD before encoding.
void append_reference(std::string& out, uint32_t cp) {
  if (cp == 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) cp = 0xfffd;
  append_utf8(out, cp);
}

// Decodes character references in an attribute value: numeric ones and the few named ones that matter for
// URL smuggling; other named references are kept literally (they are re-escaped on output anyway).
std::string decode_entities(std::string_view s) {
  static const std::array<std::pair<std::string_view, std::string_view>, 12> named = {{
      {"amp", "&"}, {"lt", "<"}, {"gt", ">"}, {"quot", "\""}, {"apos", "'"}, {"nbsp", "\xC2\xA0"},
      {"colon", ":"}, {"tab", "\t"}, {"newline", "\n"}, {"lpar", "("}, {"rpar", ")"}, {"sol", "/"}}};
  std::string out;
  for (size_t i = 0; i < s.size();) {
    if (s[i] != '&') {
      out += s[i++];
      continue;
    }
    size_t j = i + 1;
    if (j < s.size() && s[j] == '#') {
      ++j;
      bool hex = j < s.size() && (s[j] == 'x' || s[j] == 'X');
      if (hex) ++j;
      uint32_t cp = 0;
      size_t digits = 0;
      while (j < s.size() && digits < 8) {
        char c = s[j];
        int v = (c >= '0' && c <= '9') ? c - '0' : (hex && c >= 'a' && c <= 'f') ? c - 'a' + 10
                                                 : (hex && c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
        if (v < 0) break;
        cp = cp * (hex ? 16 : 10) + static_cast<uint32_t>(v);
        ++j, ++digits;
      }
      while (j < s.size() && std::isxdigit(static_cast<unsigned char>(s[j]))) ++j, cp = 0x110000;  // overlong
      if (digits == 0) {
        out += s[i++];
        continue;
      }
      if (j < s.size() && s[j] == ';') ++j;
      append_reference(out, cp);
      i = j;
      continue;
    }
    bool matched = false;
    for (const auto& [name, value] : named) {
      if (s.substr(j, name.size()) == name || iequals(s.substr(j, name.size()), name)) {
        j += name.size();
        if (j < s.size() && s[j] == ';') ++j;
        out += value;
        i = j;
        matched = true;
        break;
      }
    }
    if (!matched) out += s[i++];
  }
  return out;
}

void escape_into(std::string& out, std::string_view s, bool attribute) {
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += attribute ? "&quot;" : "\""; break;
      case '&': out += "&amp;"; break;
      case '\0': break;
      default: out += c;
    }
  }
}

// Text between tags: keeps character references as they are (so "&nbsp;" stays), escapes the rest.
void escape_text_into(std::string& out, std::string_view s) {
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '<') out += "&lt;";
    else if (c == '>') out += "&gt;";
    else if (c == '\0') continue;
    else if (c == '&') {
      size_t j = i + 1;
      while (j < s.size() && j - i < 33 && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '#')) ++j;
      bool reference = j < s.size() && s[j] == ';' && j > i + 1;
      out += reference ? "&" : "&amp;";
    } else {
      out += c;
    }
  }
}

// Lower-cased, with whitespace, control characters and CSS escapes/comments removed: what a browser would
// effectively see when deciding whether a URL or a CSS value is active.
std::string squeeze(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c <= 0x20 || c == 0x7f || c == '\\') continue;
    if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
      auto end = s.find("*/", i + 2);
      if (end == std::string_view::npos) break;
      i = end + 1;
      continue;
    }
    out += ascii_lower(static_cast<char>(c));
  }
  return out;
}

bool is_remote_url(std::string_view squeezed) {
  return squeezed.starts_with("http:") || squeezed.starts_with("https:") || squeezed.starts_with("//");
}

class Sanitizer {
 public:
  Sanitizer(std::string_view in, const SanitizeOptions& options) : in_(in), options_(options) {}

  SanitizeResult run() {
    while (pos_ < in_.size()) {
      auto lt = in_.find('<', pos_);
      if (lt == std::string_view::npos) {
        text(in_.substr(pos_));
        break;
      }
      text(in_.substr(pos_, lt - pos_));
      pos_ = lt;
      markup();
    }
    // Close what the message left open, so its markup cannot swallow ours.
    while (!open_.empty()) {
      result_.html += "</" + open_.back() + ">";
      open_.pop_back();
    }
    return std::move(result_);
  }

 private:
  void text(std::string_view t) {
    if (drop_depth_ == 0) escape_text_into(result_.html, t);
  }

  void markup() {
    std::string_view rest = in_.substr(pos_);
    if (rest.starts_with("<!--")) {
      auto end = rest.find("-->", 4);
      pos_ = end == std::string_view::npos ? in_.size() : pos_ + end + 3;  // comments dropped (IE conditionals)
      return;
    }
    if (rest.starts_with("<!") || rest.starts_with("<?")) {
      auto end = rest.find('>');
      pos_ = end == std::string_view::npos ? in_.size() : pos_ + end + 1;  // doctype, CDATA, PIs dropped
      return;
    }
    bool end_tag = rest.size() > 1 && rest[1] == '/';
    size_t name_start = end_tag ? 2 : 1;
    if (name_start >= rest.size() || !std::isalpha(static_cast<unsigned char>(rest[name_start]))) {
      // Not a tag ("a < b", "</ >"): the '<' is text.
      text("<");
      ++pos_;
      return;
    }
    Tag tag = parse_tag(end_tag, name_start);
    handle(tag);
  }

  Tag parse_tag(bool end_tag, size_t name_start) {
    Tag tag;
    tag.end = end_tag;
    size_t i = pos_ + name_start;
    while (i < in_.size() && !std::isspace(static_cast<unsigned char>(in_[i])) && in_[i] != '/' && in_[i] != '>')
      tag.name += ascii_lower(in_[i++]);
    for (;;) {
      while (i < in_.size() && (std::isspace(static_cast<unsigned char>(in_[i])) || in_[i] == '/')) {
        if (in_[i] == '/' && i + 1 < in_.size() && in_[i + 1] == '>') tag.self_closing = true;
        ++i;
      }
      if (i >= in_.size()) break;
      if (in_[i] == '>') {
        ++i;
        break;
      }
      std::string name;
      while (i < in_.size() && !std::isspace(static_cast<unsigned char>(in_[i])) && in_[i] != '/' && in_[i] != '>' &&
             (in_[i] != '=' || name.empty()))
        name += ascii_lower(in_[i++]);
      while (i < in_.size() && std::isspace(static_cast<unsigned char>(in_[i]))) ++i;
      std::string value;
      if (i < in_.size() && in_[i] == '=') {
        ++i;
        while (i < in_.size() && std::isspace(static_cast<unsigned char>(in_[i]))) ++i;
        if (i < in_.size() && (in_[i] == '"' || in_[i] == '\'')) {
          char q = in_[i++];
          auto end = in_.find(q, i);
          if (end == std::string_view::npos) end = in_.size();
          value = std::string(in_.substr(i, end - i));
          i = std::min(end + 1, in_.size());
        } else {
          while (i < in_.size() && !std::isspace(static_cast<unsigned char>(in_[i])) && in_[i] != '>') value += in_[i++];
        }
      }
      if (!end_tag) tag.attributes.push_back({std::move(name), decode_entities(value)});
    }
    pos_ = i;
    return tag;
  }

  // Skips the content of a raw-text element up to its end tag; returns the content.
  std::string_view raw_content(const std::string& name) {
    size_t i = pos_;
    for (;;) {
      auto lt = in_.find("</", i);
      if (lt == std::string_view::npos) {
        auto content = in_.substr(pos_);
        pos_ = in_.size();
        return content;
      }
      if (iequals(in_.substr(lt + 2, name.size()), name)) {
        auto content = in_.substr(pos_, lt - pos_);
        auto gt = in_.find('>', lt);
        pos_ = gt == std::string_view::npos ? in_.size() : gt + 1;
        return content;
      }
      i = lt + 2;
    }
  }

  void handle(const Tag& tag) {
    const std::string& name = tag.name;
    if (!tag.end && kRawText.count(name)) {
      std::string_view content = raw_content(name);
      if (name == "style" && drop_depth_ == 0) style_element(content);
      return;  // other raw-text elements (script, textarea, title, …) vanish with their content
    }
    if (kDropWithContent.count(name)) {
      if (kVoidTags.count(name) || tag.self_closing) return;
      if (!tag.end) ++drop_depth_;
      else if (drop_depth_ > 0) --drop_depth_;
      return;
    }
    if (drop_depth_ > 0 || !kAllowedTags.count(name)) return;  // unknown tags: dropped, content kept
    if (tag.end) {
      close(name);
      return;
    }
    std::string out = "<" + name;
    for (const auto& a : tag.attributes) attribute(out, name, a);
    if (name == "a") out += " target=\"_blank\" rel=\"noopener noreferrer\"";
    out += ">";
    if (name == "img" && out.find(" src=") == std::string::npos && out.find(" alt=") == std::string::npos) return;
    result_.html += out;
    if (!kVoidTags.count(name)) open_.push_back(name);
  }

  void close(const std::string& name) {
    for (size_t k = open_.size(); k-- > 0;) {
      if (open_[k] != name) continue;
      while (open_.size() > k) {
        result_.html += "</" + open_.back() + ">";
        open_.pop_back();
      }
      return;
    }
  }

  void attribute(std::string& out, const std::string& tag, const Attribute& a) {
    if (!kAllowedAttributes.count(a.name)) return;  // on*, formaction, srcdoc, … never allowed
    std::string value = a.value;
    if (a.name == "href") {
      if (tag != "a") return;
      auto url = safe_link(value);
      if (!url) return;
      value = *url;
    } else if (a.name == "src") {
      if (tag != "img") return;
      auto url = image_url(value);
      if (!url) return;
      value = *url;
    } else if (a.name == "background") {
      auto url = image_url(value);
      if (!url) return;
      value = *url;
    } else if (a.name == "style") {
      if (!safe_css(value)) return;
    }
    out += " " + a.name + "=\"";
    escape_into(out, value, true);
    out += "\"";
  }

  static std::optional<std::string> safe_link(const std::string& url) {
    std::string s = squeeze(url);
    if (s.starts_with("http:") || s.starts_with("https:") || s.starts_with("mailto:") || s.starts_with("#"))
      return std::string(trim(url));
    return std::nullopt;  // javascript:, vbscript:, data:, relative URLs (would hit the webmail's own API)
  }

  std::optional<std::string> image_url(const std::string& url) {
    std::string s = squeeze(url);
    if (s.starts_with("cid:")) {
      std::string id(trim(url));
      id = id.substr(id.find(':') + 1);
      if (id.size() >= 2 && id.front() == '<' && id.back() == '>') id = id.substr(1, id.size() - 2);
      if (!options_.cid_url) return std::nullopt;
      std::string mapped = options_.cid_url(id);
      if (mapped.empty()) return std::nullopt;
      return mapped;
    }
    if (s.starts_with("data:image/") && s.find("svg") == std::string::npos) return std::string(trim(url));
    if (is_remote_url(s)) {
      if (options_.allow_remote) return std::string(trim(url));
      result_.remote_content_blocked = true;
      return std::nullopt;
    }
    return std::nullopt;
  }

  // CSS is kept only when it cannot run code or load remote things (unless allowed).
  bool safe_css(std::string_view css) {
    std::string s = squeeze(css);
    for (std::string_view bad : {"expression(", "javascript:", "vbscript:", "behavior:", "-moz-binding", "@import",
                                 "</", "<!--", "-->", "@charset"})
      if (s.find(bad) != std::string::npos) return false;
    for (size_t at = s.find("url("); at != std::string::npos; at = s.find("url(", at + 4)) {
      std::string_view arg = std::string_view(s).substr(at + 4);
      if (!arg.empty() && (arg[0] == '"' || arg[0] == '\'')) arg.remove_prefix(1);
      if (arg.starts_with("data:image/") && !arg.starts_with("data:image/svg")) continue;
      if (is_remote_url(arg) && options_.allow_remote) continue;
      if (is_remote_url(arg)) result_.remote_content_blocked = true;
      return false;
    }
    return true;
  }

  void style_element(std::string_view css) {
    if (!safe_css(css)) return;
    result_.html += "<style>";
    result_.html += css;  // safe_css rejected "</", so the element cannot be closed early
    result_.html += "</style>";
  }

  std::string_view in_;
  const SanitizeOptions& options_;
  size_t pos_ = 0;
  int drop_depth_ = 0;
  std::vector<std::string> open_;
  SanitizeResult result_;
};

}  // namespace

SanitizeResult sanitize(std::string_view untrusted_html, const SanitizeOptions& options) {
  return Sanitizer(untrusted_html, options).run();
}

}  // namespace claret::webmail::html
