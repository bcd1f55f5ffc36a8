// Splits a message into its top-level header fields and body, byte-exact, for DKIM (RFC 6376 §3.4, §5.4;
// RFC 5322 §2.2).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace claret::mailauth {

// One header field exactly as it appears: `raw` runs from the first byte of the name to the end of the
// field's last line, without that line's CRLF (folding CRLFs inside stay). `name` is the field name without
// any obsolete whitespace before the colon; it is empty for a line that is not a field (no colon, or a name
// with spaces or control characters), which no h= entry can ever select.
struct RawField {
  std::string_view name;
  std::string_view raw;
};

// Header and body of a message whose lines end in CRLF. Views point into the message.
struct SplitMessage {
  std::vector<RawField> fields;
  std::string_view body;  // after the blank line; empty when there is no blank line
};

// DKIM hashes the message as it travels over SMTP, where every line ends in CRLF (RFC 6376 §5.3), while
// messages read from files often end lines in LF only: bare LFs become CRLF, existing CRLFs are kept.
std::string to_crlf(std::string_view message);
// True when some LF is not preceded by CR, i.e. to_crlf() would change the message.
bool has_bare_lf(std::string_view message);

// Best-effort split that never fails: a message without a blank line is all header, an empty message has
// neither fields nor body. Continuation lines before the first field are ignored.
SplitMessage split_message(std::string_view crlf_message);

}  // namespace claret::mailauth
