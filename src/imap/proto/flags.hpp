// IMAP message flags: RFC 9051 §2.3.2 system flags and keywords, §9 flag, flag-list, flag-keyword.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "imap/proto/cursor.hpp"

namespace claret::imap::proto {

// flag = "\" atom / atom. System flags are returned in their canonical case ("\seen" → "\Seen"); keywords are
// kept as sent (keywords are case-insensitive for matching, which is the store's business). "\Recent" is
// refused since clients cannot set it (RFC 3501 §2.3.2, gone in RFC 9051).
std::string read_flag(Cursor& c);
// "(" [flag *(SP flag)] ")"
std::vector<std::string> read_flag_list(Cursor& c);

bool is_system_flag(std::string_view flag);
std::string canonical_flag(std::string_view flag);

}  // namespace claret::imap::proto
