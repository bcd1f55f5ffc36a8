// Per-session inputs of the IMAP argument parsers: limits and enabled extensions (RFC 9051 §6.3.1 ENABLE).
#pragma once

#include "imap/proto/limits.hpp"

namespace claret::imap::proto {

struct ParseOptions {
  Limits limits;
  bool utf8_accept = false;  // ENABLE UTF8=ACCEPT: mailbox names are UTF-8, not modified UTF-7 (RFC 6855 §3)
};

}  // namespace claret::imap::proto
