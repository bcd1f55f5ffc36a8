// The mapping step of SASLprep (RFC 4013 §2.1) applied to SCRAM passwords (RFC 5802 §2.2 Normalize()).
#pragma once

#include <string>
#include <string_view>

namespace claret::auth {

// Maps non-ASCII spaces (RFC 3454 C.1.2) to U+0020 and removes "commonly mapped to nothing" code points
// (RFC 3454 B.1). NFKC normalisation (RFC 4013 §2.2) is not applied: passwords typed on ordinary
// keyboards are already in that form, and an approximate table would be worse than none. Input that is
// not valid UTF-8 is returned unchanged, as RFC 5802 §5.1 lets an implementation treat it as opaque.
std::string saslprep_map(std::string_view password);

// True when `s` is well-formed UTF-8 (RFC 3629 §4: shortest form, no surrogates, at most U+10FFFF).
bool is_valid_utf8(std::string_view s);

}  // namespace claret::auth
