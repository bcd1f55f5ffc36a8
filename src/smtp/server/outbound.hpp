// Submission to non-local recipients (RFC 6409 §3.1, RFC 5321 §3.6 relaying): accepted at RCPT, queued for outbound
// delivery at the end of the message (finish_message).
#pragma once

#include <string_view>

#include "smtp/proto/reply.hpp"

namespace claret::smtp::server {

// The RCPT answer for a non-local recipient of an authenticated submission: 250 2.1.5 (queued at end of data).
proto::Reply outbound_recipient(std::string_view address);

}  // namespace claret::smtp::server
