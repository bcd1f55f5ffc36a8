// Content decoders (src/mime, src/base): quoted-printable (bodies and "Q" words), base64 (strict and lenient),
// Content-Transfer-Encoding dispatch, charset conversion through iconv, UTF-8 repair and truncation, HTML to text.
// The first input line is the charset or encoding name, the rest the bytes.
// Invariants: base64 encode/decode round-trips and strict decoding implies lenient decoding gives the same bytes;
// decoders never grow the input beyond their worst case; every conversion to UTF-8 gives valid UTF-8;
// sanitize_utf8 is the identity on valid UTF-8; prefixes and truncations stay on character boundaries.
#include <string>

#include "base/base64.hpp"
#include "fuzz_support.hpp"
#include "mime/body.hpp"
#include "mime/charset.hpp"
#include "mime/html_text.hpp"
#include "mime/quoted_printable.hpp"

using namespace claret::mime;
using claret::fuzz::valid_utf8;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::string_view label = in.until('\n');
  const std::string_view bytes = in.rest();

  FUZZ_CHECK(qp_decode(bytes).size() <= bytes.size());
  FUZZ_CHECK(q_word_decode(bytes).size() <= bytes.size());

  const std::string encoded = claret::base64_encode(bytes);
  auto decoded = claret::base64_decode(encoded);
  FUZZ_CHECK(decoded && *decoded == bytes);
  FUZZ_CHECK(claret::base64_decode_lenient(encoded) == bytes);
  if (auto strict = claret::base64_decode(bytes)) {
    FUZZ_CHECK(claret::base64_decode_lenient(bytes) == *strict);
  }
  FUZZ_CHECK(claret::base64_decode_lenient(bytes).size() <= bytes.size());
  (void)decode_transfer_encoding(bytes, label);

  const std::string utf8 = to_utf8(bytes, label);
  FUZZ_CHECK(valid_utf8(utf8));
  const std::string sanitized = sanitize_utf8(bytes);
  FUZZ_CHECK(valid_utf8(sanitized));
  FUZZ_CHECK(is_valid_utf8(bytes) == valid_utf8(bytes));
  if (valid_utf8(bytes)) FUZZ_CHECK(sanitized == bytes);
  const std::size_t n = label.size();
  const std::string_view prefix = utf8_prefix(sanitized, n);
  FUZZ_CHECK(valid_utf8(prefix) && sanitized.substr(0, prefix.size()) == prefix);
  const std::string_view truncated = utf8_truncate_bytes(sanitized, n);
  FUZZ_CHECK(truncated.size() <= n && valid_utf8(truncated));

  FUZZ_CHECK(valid_utf8(html_to_text(sanitized)));
  return 0;
}
