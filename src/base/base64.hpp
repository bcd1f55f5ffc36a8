// Base64 (RFC 4648 §4) encode and decode, used by SASL (RFC 4422) and MIME (RFC 2045 §6.8).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claret {

std::string base64_encode(std::string_view in);
// Strict decode (SASL): only the alphabet and correct '=' padding; nullopt otherwise.
std::optional<std::string> base64_decode(std::string_view in);
// Lenient decode (MIME bodies): skips characters outside the alphabet, stops at '='.
std::string base64_decode_lenient(std::string_view in);

}  // namespace claret
