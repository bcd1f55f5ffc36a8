// IMAP ENVELOPE serialization (RFC 3501 §7.4.2 and §9 "envelope", RFC 9051 §7.5.2).
#pragma once

#include <string>

#include "mime/message.hpp"

namespace claret::mime {

// The ENVELOPE list of the top-level message: date, subject, from, sender, reply-to, to, cc, bcc, in-reply-to,
// message-id. Header values are the raw unfolded bytes; sender and reply-to default to from.
std::string imap_envelope(const ParsedMessage& msg);
// The ENVELOPE of the message whose header is part `p` (the root or an embedded message).
std::string imap_envelope(const ParsedMessage& msg, const Part& p);

}  // namespace claret::mime
