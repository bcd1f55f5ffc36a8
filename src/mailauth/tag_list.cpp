// Tag=value list parser (RFC 6376 §3.2).
#include "mailauth/tag_list.hpp"

#include "base/strings.hpp"

namespace claret::mailauth {

namespace {

bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_digit(char c) { return c >= '0' && c <= '9'; }

// tag-name = ALPHA *ALNUMPUNC, ALNUMPUNC = ALPHA / DIGIT / "_"
bool valid_tag_name(std::string_view n) {
  if (n.empty() || !is_alpha(n[0])) return false;
  for (char c : n)
    if (!is_alpha(c) && !is_digit(c) && c != '_') return false;
  return true;
}

}  // namespace

Result<TagList> TagList::parse(std::string_view text) {
  TagList out;
  for (std::string_view spec : split(text, ';')) {
    std::string_view t = trim(spec);
    if (t.empty()) continue;  // the optional trailing ';' (and tolerated empty specs)
    size_t eq = t.find('=');
    if (eq == std::string_view::npos) return make_error("tag without '=': " + std::string(t.substr(0, 40)));
    std::string_view name = trim(t.substr(0, eq));
    std::string_view value = trim(t.substr(eq + 1));
    if (!valid_tag_name(name)) return make_error("invalid tag name '" + std::string(name.substr(0, 40)) + "'");
    if (out.get(name)) return make_error("duplicate tag '" + std::string(name) + "'");
    out.tags_.emplace_back(std::string(name), std::string(value));
  }
  return out;
}

std::optional<std::string_view> TagList::get(std::string_view name) const {
  for (const auto& [n, v] : tags_)
    if (n == name) return std::string_view(v);
  return std::nullopt;
}

std::string remove_fws(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') out.push_back(c);
  return out;
}

}  // namespace claret::mailauth
