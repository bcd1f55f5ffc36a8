// DSNs for SMTP final delivery (RFC 3461 §5.2.2, §6): a "delivered" report for local recipients that asked
// for NOTIFY=SUCCESS, and a "failed" report for recipients accepted at RCPT but refused at delivery (a quota
// reached in between) — the 250 already promised the message, so the sender must learn of it by mail.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "mail/local_delivery.hpp"
#include "queue/dsn.hpp"
#include "smtp/server/session.hpp"

namespace claret::smtp::server {

// The recipients to report on, given the transaction's local recipients (same order as `outcomes`).
// Empty when nothing needs reporting. `refusals` are the SMTP replies for the failed outcomes.
std::vector<queue::DsnRecipient> final_delivery_report(const std::vector<const AcceptedRecipient*>& recipients,
                                                       const std::vector<mail::RecipientOutcome>& outcomes,
                                                       const std::vector<proto::Reply>& replies,
                                                       std::string_view hostname);

}  // namespace claret::smtp::server
