// enqueue_message: the one way mail enters the outbound queue (submission, DSNs to remote senders, CLI) — the
// DKIM signing hook, then blob put (fsynced), then the committed queue row (RFC 5321 §4.5.4, RFC 6376 §5).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "base/result.hpp"
#include "queue/queue_store.hpp"
#include "store/blob_store.hpp"

namespace claret::queue {

// THE SIGNING HOOK. mailauth::DkimSigner (src/mailauth) plugs in here: given the message as it will be sent and
// the envelope sender, it returns the header fields to prepend (e.g. "DKIM-Signature: …\r\n"), or "" to leave the
// message unsigned (not a local domain, no key). It runs before the bytes are stored, so every attempt and every
// retry sends the same signed message.
using MessageSigner = std::function<std::string(std::string_view message, std::string_view envelope_sender)>;

struct OutboundMessage {
  std::string sender;                 // "" for a DSN (null reverse path)
  std::vector<NewRecipient> recipients;
  std::string_view message;           // CRLF line endings, trace fields already prepended
  std::string ret;
  std::string envid;
  bool smtputf8 = false;
  int64_t now = 0;
};

// Durable when it returns ok: the blob is fsynced and the row committed, so the caller may answer 250.
// `signer` may be empty (no signing configured).
Result<int64_t> enqueue_message(store::BlobStore& blobs, QueueStore& queue, const OutboundMessage& message,
                                const MessageSigner& signer);

}  // namespace claret::queue
