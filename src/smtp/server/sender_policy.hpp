// Submission sender policy (RFC 6409 §4.1, §8.1; DESIGN.md §5): an authenticated user may use as envelope sender
// (RFC 5321 MAIL FROM) and in the From: header field (RFC 5322 §3.6.2) only the account's own address or the
// addresses of aliases that deliver to it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/directory.hpp"

namespace claret::smtp::server {

// The account's address followed by the source of every alias that targets it (lower-cased). Catch-all
// aliases ("@domain") are left out: receiving a domain's stray mail does not make every address one's own.
std::vector<std::string> sendable_addresses(std::string_view account_address, const std::vector<store::Alias>& aliases);

// Case-insensitive match against `sendable`; "local+tag@domain" matches when "local@domain" does (the store's
// plus-addressing delivers it to the same place).
bool may_send_as(const std::vector<std::string>& sendable, std::string_view address);

// The first From: mailbox (RFC 5322 §3.6.2) of `message` not in `sendable`, or nullopt when every From:
// address is allowed. A message without a From: field passes (nothing is claimed).
std::optional<std::string> from_header_violation(std::string_view message, const std::vector<std::string>& sendable);

}  // namespace claret::smtp::server
