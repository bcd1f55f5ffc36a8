// Flags between the wire and the store: flag lists (RFC 9051 §2.3.2, §7.5.2 FLAGS) ↔ store::Flags.
#pragma once

#include <string>
#include <vector>

#include "store/types.hpp"

namespace claret::imap::server {

// "(\Seen \Flagged $Forwarded)"; recent: with \Recent first (RFC 3501 session flag, never stored).
std::string flags_to_wire(const store::Flags& flags, bool recent = false);
// The same appended to `out`: no allocation once `out` has room (100,000-line flag listings).
void append_flags_wire(std::string& out, const store::Flags& flags, bool recent = false);
// Flags as parsed by proto (system flags in canonical case) → store::Flags; unknown backslash flags are dropped.
store::Flags flags_from_list(const std::vector<std::string>& flags);
// The flags FLAGS and PERMANENTFLAGS announce on SELECT.
std::vector<std::string> system_flag_names();

}  // namespace claret::imap::server
