// Content-Type and Content-Disposition with parameters: RFC 2045 §5.1, RFC 2183 §2, RFC 2231 §3-§4.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::mime {

struct Param {
  std::string name;       // lowercase attribute, without RFC 2231 "*n" / "*" suffixes
  std::string value;      // raw bytes for plain parameters; UTF-8 when `extended`
  bool extended = false;  // came from RFC 2231 charset'language'percent-encoded form
  std::string language;   // RFC 2231 language tag, if any
};

struct ContentType {
  std::string type;     // lowercase; empty when the field is missing or unparsable
  std::string subtype;  // lowercase
  std::vector<Param> params;
};

struct ContentDisposition {
  std::string type;  // lowercase ("inline", "attachment", ...); empty when missing
  std::vector<Param> params;
};

// Parses `type "/" subtype *(";" parameter)`, tolerating comments, stray whitespace, missing semicolons' values
// and unquoted values with tspecials. Never fails: unusable input yields an empty type.
ContentType parse_content_type(std::string_view value);
ContentDisposition parse_content_disposition(std::string_view value);

// Parses the `*(";" parameter)` list; RFC 2231 continuations are joined, charsets converted to UTF-8.
std::vector<Param> parse_parameters(std::string_view list);

// The value of parameter `name` (case-insensitive), or nullptr.
const Param* find_param(const std::vector<Param>& params, std::string_view name);

}  // namespace claret::mime
