// Which local final deliveries produce a DSN (RFC 3461 §4.1 NOTIFY semantics, §5.2.2 "delivered").
#include "smtp/server/final_dsn.hpp"

namespace claret::smtp::server {
namespace {

// RFC 3461 §4.1: without NOTIFY the default is FAILURE (and DELAY); NEVER suppresses everything.
bool wants(const AcceptedRecipient& r, bool success) {
  if (!r.params.notify) return !success;
  const auto& n = *r.params.notify;
  if (n.never) return false;
  return success ? n.success : n.failure;
}

}  // namespace

std::vector<queue::DsnRecipient> final_delivery_report(const std::vector<const AcceptedRecipient*>& recipients,
                                                       const std::vector<mail::RecipientOutcome>& outcomes,
                                                       const std::vector<proto::Reply>& replies,
                                                       std::string_view hostname) {
  std::vector<queue::DsnRecipient> report;
  for (size_t i = 0; i < outcomes.size() && i < recipients.size(); ++i) {
    const AcceptedRecipient& r = *recipients[i];
    bool ok = outcomes[i].result.ok();
    if (!wants(r, ok)) continue;
    queue::DsnRecipient d;
    d.address = r.address;
    if (r.params.orcpt) d.orcpt = r.params.orcpt->addr_type + ";" + r.params.orcpt->address;
    d.remote_mta = std::string(hostname);
    if (ok) {
      d.action = queue::DsnAction::delivered;
      d.status = "2.0.0";
      d.diagnostic = "delivered to the mailbox";
    } else {
      const proto::Reply& reply = replies[i];
      d.action = queue::DsnAction::failed;
      d.status = reply.enhanced.empty() ? queue::status_for_reply(reply.code, "") : reply.enhanced;
      d.diagnostic = std::to_string(reply.code) + " " + d.status + " " + (reply.lines.empty() ? "" : reply.lines.front());
    }
    report.push_back(std::move(d));
  }
  return report;
}

}  // namespace claret::smtp::server
