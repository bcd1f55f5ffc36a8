// Quoted-printable decoding: RFC 2045 §6.7 (bodies) and the RFC 2047 §4.2 "Q" variant (encoded words).
#pragma once

#include <string>
#include <string_view>

namespace claret::mime {

// Decodes a quoted-printable body. Lenient: lowercase hex is accepted, an '=' not followed by two hex digits
// or a line break is kept literally, and trailing whitespace before a line break is dropped (§6.7 rule 3).
std::string qp_decode(std::string_view in);

// Decodes the text of a "Q" encoded word: like qp_decode, and '_' stands for a space (RFC 2047 §4.2 (2)).
std::string q_word_decode(std::string_view in);

}  // namespace claret::mime
