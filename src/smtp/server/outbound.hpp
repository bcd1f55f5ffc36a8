// Submission to non-local recipients (RFC 6409 §3.1, RFC 5321 §3.6 relaying). The outbound queue (issue 6) will
// replace this function's body; until then such recipients are deferred.
#pragma once

#include <string_view>

#include "smtp/proto/reply.hpp"

namespace claret::smtp::server {

// The RCPT answer for a non-local recipient of an authenticated submission: 250 once it can be queued for
// outbound delivery; today 451 4.3.0 "outbound delivery is not available yet".
proto::Reply outbound_recipient(std::string_view address);

}  // namespace claret::smtp::server
