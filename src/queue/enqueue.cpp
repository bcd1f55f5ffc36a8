// enqueue_message: sign (hook), store the bytes once, commit the queue row (durability before the SMTP 250).
#include "queue/enqueue.hpp"

#include "smtp/client/dot_stuffing.hpp"

namespace claret::queue {

Result<int64_t> enqueue_message(store::BlobStore& blobs, QueueStore& queue, const OutboundMessage& message,
                                const MessageSigner& signer) {
  std::string signed_message;
  std::string_view bytes = message.message;
  if (signer) {
    std::string header = signer(message.message, message.sender);
    if (!header.empty()) {
      signed_message = header + std::string(message.message);
      bytes = signed_message;
    }
  }
  auto blob = blobs.put(bytes);
  if (!blob) return blob.error();
  NewEntry e;
  e.blob = *blob;
  e.sender = message.sender;
  e.ret = message.ret;
  e.envid = message.envid;
  e.eight_bit = smtp::client::has_8bit(bytes);
  e.smtputf8 = message.smtputf8;
  e.arrival = message.now;
  e.next_attempt = message.now;
  e.recipients = message.recipients;
  return queue.enqueue(e);
}

}  // namespace claret::queue
