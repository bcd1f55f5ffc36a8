// DATA transparency for the client side (RFC 5321 §4.5.2, §2.3.8 line endings) and 8-bit detection (RFC 6152 §3).
#pragma once

#include <string>
#include <string_view>

namespace claret::smtp::client {

// The message as a DATA payload: every line ends in CRLF (bare LF and bare CR become CRLF, so a stored message
// can never smuggle an end-of-data), lines starting with "." get another ".", and "." CRLF terminates it.
std::string dot_stuff(std::string_view message);

// True when any byte has the high bit set: such a message needs 8BITMIME at the next hop (RFC 6152 §3).
bool has_8bit(std::string_view message);

}  // namespace claret::smtp::client
