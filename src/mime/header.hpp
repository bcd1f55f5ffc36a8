// Header fields of a message or body part: RFC 5322 §2.2 (fields), §2.2.3 (folding), §3.6 and RFC 2045 §3.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace claret::mime {

// One header field as it appears in the message. Both views point into the original message bytes.
struct HeaderField {
  std::string_view name;   // field name with any obsolete whitespace before ':' removed
  std::string_view value;  // everything after ':' up to (not including) the field's final line break, still folded
  size_t offset = 0;       // byte offset of the field's first character in the message
};

// Removes the line breaks of folding (CRLF, bare LF, bare CR) but keeps the whitespace that follows them,
// then trims leading and trailing whitespace: the "raw unfolded" value RFC 3501 §7.4.2 puts into ENVELOPE.
std::string unfold(std::string_view value);

// unfold() followed by RFC 2047 decoding to UTF-8 (for unstructured fields such as Subject).
std::string decode_unstructured(std::string_view value);

}  // namespace claret::mime
