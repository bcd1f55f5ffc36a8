// Routing a DSN to its recipient (RFC 3461 §6.2).
#include "queue/dsn_sender.hpp"

#include "mail/local_delivery.hpp"

namespace claret::queue {

Result<DsnRoute> send_dsn_to(store::Store& store, QueueStore* queue, const MessageSigner& signer, std::string_view to,
                             std::string_view dsn, int64_t now) {
  if (to.empty()) return make_error("no DSN for the null reverse path");
  std::string recipient(to);
  if (store.directory().resolve_recipient(recipient)) {
    auto r = mail::deliver_local(store, mail::LocalDelivery{"", {recipient}, "", dsn, now});
    if (r && !r->empty() && r->front().result.ok()) return DsnRoute::local;
    // A local sender whose INBOX refuses the report (over quota): try the queue, which retries.
  }
  if (!queue) return make_error("the outbound queue is not available for a DSN to " + recipient);
  OutboundMessage out;
  out.sender = "";  // RFC 3461 §6.2: the null reverse path, never bounced itself
  out.recipients = {{recipient, notify::kNever, ""}};
  out.message = dsn;
  out.now = now;
  auto q = enqueue_message(store.blobs(), *queue, out, signer);
  if (!q) return q.error();
  return DsnRoute::queued;
}

}  // namespace claret::queue
