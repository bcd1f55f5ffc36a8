// The session for a listener whose protocol this build does not serve yet: the protocol's own
// "service not available, try later" greeting, then close — what a peer or client understands and
// retries (SMTP 421 4.3.2, RFC 5321 §3.8 / RFC 3463; IMAP greeting BYE, RFC 9051 §7.1.5; POP3
// -ERR [SYS/TEMP], RFC 3206 §4; HTTP 503, RFC 9110 §15.6.4).
#pragma once

#include <string>
#include <string_view>

#include "io/server.hpp"

namespace claret::app {

// The one-line reply for `listener` (smtp, submission, submissions, lmtp, imap, imaps, pop3, pop3s,
// http, https), naming `hostname`.
std::string unavailable_reply(std::string_view listener, std::string_view hostname);

io::SessionFn unavailable_session(std::string reply);

}  // namespace claret::app
