// Sending a DSN to the original sender (RFC 3461 §6, RFC 3464): into the local INBOX when the sender is
// one of our accounts, else through the outbound queue with the null reverse path (RFC 5321 §4.5.5), so a
// DSN is never bounced itself. Shared by the delivery workers and by SMTP's final local delivery.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "queue/enqueue.hpp"
#include "queue/queue_store.hpp"
#include "store/store.hpp"

namespace claret::queue {

enum class DsnRoute { local, queued };

// `dsn` is a complete message from build_dsn(). `queue` may be null when the sender is known to be local;
// a remote sender then gives an error. Nothing is sent for the null sender ("").
Result<DsnRoute> send_dsn_to(store::Store& store, QueueStore* queue, const MessageSigner& signer, std::string_view to,
                             std::string_view dsn, int64_t now);

}  // namespace claret::queue
