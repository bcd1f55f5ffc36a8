// Header field filtering for BODY[HEADER.FIELDS (…)] / HEADER.FIELDS.NOT (RFC 9051 §6.4.5, RFC 5322 §2.2).
#include "imap/server/header_filter.hpp"

#include "base/strings.hpp"

namespace claret::imap::server {

std::string filter_header_fields(std::string_view header, const std::vector<std::string>& names, bool keep) {
  std::string out;
  std::size_t pos = 0;
  bool include = false;
  while (pos < header.size()) {
    std::size_t eol = header.find('\n', pos);
    std::size_t next = eol == std::string_view::npos ? header.size() : eol + 1;
    std::string_view line = header.substr(pos, next - pos);
    std::string_view content = line;
    while (!content.empty() && (content.back() == '\n' || content.back() == '\r')) content.remove_suffix(1);
    if (content.empty()) break;  // the empty line ending the header
    if (line[0] == ' ' || line[0] == '\t') {
      // A continuation line belongs to the field before it.
      if (include) out.append(line);
    } else {
      std::size_t colon = content.find(':');
      std::string_view name = colon == std::string_view::npos ? content : content.substr(0, colon);
      while (!name.empty() && (name.back() == ' ' || name.back() == '\t')) name.remove_suffix(1);
      bool listed = false;
      for (const auto& n : names) listed = listed || iequals(n, name);
      include = colon != std::string_view::npos && listed == keep;
      if (include) out.append(line);
    }
    pos = next;
  }
  if (!out.empty() && out.back() != '\n') out += "\r\n";
  out += "\r\n";
  return out;
}

}  // namespace claret::imap::server
