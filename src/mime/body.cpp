// Body content decoding: RFC 2045 §6.7 (quoted-printable), §6.8 (base64), §5.1 (charset).
#include "mime/body.hpp"

#include "base/base64.hpp"
#include "mime/charset.hpp"
#include "mime/quoted_printable.hpp"

namespace claret::mime {

std::string decode_transfer_encoding(std::string_view bytes, std::string_view encoding) {
  if (encoding == "base64") return base64_decode_lenient(bytes);
  if (encoding == "quoted-printable") return qp_decode(bytes);
  return std::string(bytes);
}

std::string decode_body(const ParsedMessage& msg, const Part& p) {
  return decode_transfer_encoding(msg.body_bytes(p), p.encoding);
}

std::string decode_text(const ParsedMessage& msg, const Part& p) {
  const Param* charset = find_param(p.content_type.params, "charset");
  return to_utf8(decode_body(msg, p), charset ? std::string_view(charset->value) : std::string_view());
}

}  // namespace claret::mime
