// Store errors → the tagged NO the client sees, with RFC 5530 response codes (NONEXISTENT, ALREADYEXISTS,
// OVERQUOTA, CANNOT, INUSE, SERVERBUG), so every command maps them the same way.
#pragma once

#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::imap::server {

struct ErrorReply {
  std::string code;  // "[NONEXISTENT]" …, from proto::response_code
  std::string text;
};

// Internal errors are logged under `event` with the connection id and answered without details.
ErrorReply map_store_error(const Error& e, std::uint64_t cid, std::string_view event);

}  // namespace claret::imap::server
