// Header unfolding (RFC 5322 §2.2.3) and unstructured-field decoding (RFC 2047 §5 (1)).
#include "mime/header.hpp"

#include "mime/encoded_word.hpp"

namespace claret::mime {

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value)
    if (c != '\r' && c != '\n') out += c;
  size_t b = 0, e = out.size();
  while (b < e && (out[b] == ' ' || out[b] == '\t')) ++b;
  while (e > b && (out[e - 1] == ' ' || out[e - 1] == '\t')) --e;
  return out.substr(b, e - b);
}

std::string decode_unstructured(std::string_view value) { return decode_encoded_words(unfold(value)); }

}  // namespace claret::mime
