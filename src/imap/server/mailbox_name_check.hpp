// A name from a client for CREATE/RENAME, validated (proto::validate_mailbox_name) and normalised.
#pragma once

#include <string>

#include "base/result.hpp"

namespace claret::imap::server {

// A trailing separator only says the client means a parent (RFC 9051 §6.3.4): it is dropped.
Result<std::string> creatable_name(std::string name);

}  // namespace claret::imap::server
