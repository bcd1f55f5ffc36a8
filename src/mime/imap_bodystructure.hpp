// IMAP BODY and BODYSTRUCTURE serialization (RFC 3501 §7.4.2 and §9 "body", RFC 9051 §7.5.2).
#pragma once

#include <string>

#include "mime/message.hpp"

namespace claret::mime {

// BODYSTRUCTURE (extended = true: with MD5, disposition, language and location extension data) or BODY
// (extended = false) of the whole message.
std::string imap_bodystructure(const ParsedMessage& msg, bool extended);

}  // namespace claret::mime
