// xtext encoding of DSN and AUTH parameter values (RFC 3461 §4, used by RFC 4954 §5 AUTH=).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace claret::smtp::proto {

// xtext = *( xchar / hexchar ); xchar = "!".."~" except "+" and "="; hexchar = "+" 2HEXDIG.
// Bytes outside xchar are written as "+XX" with upper-case hex, as the RFC requires.
std::string xtext_encode(std::string_view value);

// Decodes xtext; nullopt on a character outside xchar, a bare "=", or a malformed "+XX". Lower-case hex
// digits are accepted (liberal in what we accept; several clients send them).
std::optional<std::string> xtext_decode(std::string_view text);

}  // namespace claret::smtp::proto
