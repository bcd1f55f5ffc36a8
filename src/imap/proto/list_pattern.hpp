// LIST/LSUB mailbox patterns: RFC 9051 §6.3.9 reference + pattern, "*" and "%" wildcards.
#pragma once

#include <string>
#include <string_view>

namespace claret::imap::proto {

// The pattern the server matches names against: the reference is a prefix of the pattern (RFC 9051 §6.3.9),
// and a leading "INBOX" level is upper-cased since INBOX is case-insensitive.
std::string list_full_pattern(std::string_view reference, std::string_view pattern);

// "*" matches any run of characters, "%" any run without the hierarchy separator; everything else matches
// itself. O(pattern × name) time, so hostile patterns ("%*%*%*…") cannot blow up.
bool list_match(std::string_view pattern, std::string_view name);

// True when some descendant of `name` could match (LIST-EXTENDED RECURSIVEMATCH / CHILDINFO, RFC 5258 §3.5):
// the pattern matches name + "/" + something.
bool list_match_descendant(std::string_view pattern, std::string_view name);

}  // namespace claret::imap::proto
