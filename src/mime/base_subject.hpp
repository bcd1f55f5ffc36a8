// RFC 5256 §2.1 base subject, the key of SORT (SUBJECT) and THREAD=ORDEREDSUBJECT / REFERENCES.
#pragma once

#include <string>
#include <string_view>

namespace claret::mime {

// The base subject of an already decoded (UTF-8) subject: "Re:", "Fwd:", "[list]" leaders, "(fwd)" trailers
// and "[fwd: ...]" wrappers removed, whitespace collapsed. Compare results case-insensitively.
std::string base_subject(std::string_view subject);

}  // namespace claret::mime
