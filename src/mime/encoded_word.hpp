// RFC 2047 encoded-word decoding (§2 syntax, §4 B and Q encodings, §6.2 adjacent words, §8 examples).
#pragma once

#include <string>
#include <string_view>

namespace claret::mime {

// Decodes every encoded word in already unfolded header text to UTF-8. Whitespace between two adjacent
// encoded words is dropped (§6.2); adjacent words in the same charset are joined before conversion so a
// multi-byte character split across words survives. Malformed words are left as they are, other 8-bit bytes
// are read as UTF-8 (RFC 6532) with invalid sequences replaced by U+FFFD. RFC 2231 §5 languages are ignored.
std::string decode_encoded_words(std::string_view text);

}  // namespace claret::mime
