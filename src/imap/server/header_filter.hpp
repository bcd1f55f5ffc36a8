// BODY[HEADER.FIELDS (…)] and BODY[HEADER.FIELDS.NOT (…)]: the subset of a header block (RFC 9051 §6.4.5).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::imap::server {

// `header` is a header block as stored (fields, each with its continuation lines, then the empty line).
// Keeps the fields whose names are (keep == true) or are not (keep == false) in `names` (case-insensitive),
// byte for byte with their folding, and ends with the empty line, as RFC 9051 §6.4.5 requires.
std::string filter_header_fields(std::string_view header, const std::vector<std::string>& names, bool keep);

}  // namespace claret::imap::server
