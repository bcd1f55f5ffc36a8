// Body content decoding: RFC 2045 §6 (Content-Transfer-Encoding: base64 §6.8, quoted-printable §6.7) and
// charset conversion of text parts to UTF-8 (RFC 2045 §5.1, RFC 2046 §4.1.2).
#pragma once

#include <string>
#include <string_view>

#include "mime/message.hpp"

namespace claret::mime {

// The body of `p` with its transfer encoding removed (7bit/8bit/binary/unknown encodings pass through).
std::string decode_body(const ParsedMessage& msg, const Part& p);
// decode_body() converted from the part's charset to UTF-8 (invalid bytes become U+FFFD).
std::string decode_text(const ParsedMessage& msg, const Part& p);
// Decodes `bytes` per a Content-Transfer-Encoding name (lowercase).
std::string decode_transfer_encoding(std::string_view bytes, std::string_view encoding);

}  // namespace claret::mime
