// Answers a failed store call with the tagged NO its error maps to (error_map.hpp).
#pragma once

#include <string_view>

#include "base/result.hpp"
#include "imap/server/session.hpp"

namespace claret::imap::server {

void reply_store_error(Session& s, std::string_view tag, const Error& e);

}  // namespace claret::imap::server
