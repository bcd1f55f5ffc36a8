// Mailbox names: modified UTF-7 (RFC 3501 §5.1.3), UTF-8 names after UTF8=ACCEPT (RFC 6855 §3), INBOX
// (RFC 9051 §5.1), hierarchy separator '/', and the validation every name from a client goes through.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::imap::proto {

inline constexpr char kHierarchySeparator = '/';
inline constexpr std::size_t kMaxMailboxNameBytes = 1000;
inline constexpr std::size_t kMaxMailboxDepth = 64;

bool is_valid_utf8(std::string_view s);

// Strict decoding: bytes outside printable US-ASCII, "&" not followed by "-" or by modified base64 ending in
// "-", non-zero or surplus padding bits, unpaired surrogates, and base64 that encodes printable US-ASCII (which
// must appear as itself) are all rejected.
Result<std::string> mutf7_decode(std::string_view wire);
// UTF-8 → modified UTF-7; invalid UTF-8 is an error.
Result<std::string> mutf7_encode(std::string_view utf8);

// "inbox", "Inbox/x" → "INBOX", "INBOX/x": INBOX is case-insensitive, other names are not.
std::string normalize_inbox(std::string name);

// The name as sent by the client (an astring already unquoted) → the UTF-8 name used everywhere inside
// claret. utf8_accept: UTF8=ACCEPT is enabled, names travel as UTF-8 (RFC 6855 §3) instead of modified UTF-7.
Result<std::string> decode_mailbox(std::string_view wire, bool utf8_accept);
// UTF-8 name → wire form (modified UTF-7 unless utf8_accept). Names come from the store, valid UTF-8.
std::string encode_mailbox(std::string_view utf8, bool utf8_accept);

// A name may be created or renamed to: not empty, at most kMaxMailboxNameBytes, valid UTF-8, no control
// characters (C0, DEL, C1), no wildcard '%' or '*', no leading, trailing or doubled '/', no "." or ".."
// component (the store may map names to paths), at most kMaxMailboxDepth levels.
Status validate_mailbox_name(std::string_view utf8);

}  // namespace claret::imap::proto
