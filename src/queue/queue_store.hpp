// QueueStore: the durable outbound spool — one entry per message, per-recipient state (RFC 5321 §4.5.4.1 retry
// strategy; RFC 3461 §4 NOTIFY/ORCPT, §4.3-4.4 RET/ENVID carried for the DSNs).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/blob_store.hpp"

namespace claret::queue {

enum class RecipientState { pending = 0, delivered = 1, failed = 2 };

inline const char* recipient_state_name(RecipientState state) {
  switch (state) {
    case RecipientState::pending: return "pending";
    case RecipientState::delivered: return "delivered";
    case RecipientState::failed: return "failed";
  }
  return "unknown";
}

// RFC 3461 NOTIFY as a bit set; 0 means the parameter was absent (the default: failure and delay notices).
namespace notify {
inline constexpr int kNever = 1;
inline constexpr int kSuccess = 2;
inline constexpr int kFailure = 4;
inline constexpr int kDelay = 8;
}  // namespace notify

struct NewRecipient {
  std::string address;  // the forward path, without angle brackets
  int notify = 0;
  std::string orcpt;    // "rfc822;user@example.org" as given, or empty
};

struct NewEntry {
  store::BlobRef blob;  // already put (and fsynced) in the BlobStore
  std::string sender;   // empty: the null reverse path (a bounce); never bounced again
  std::string ret;      // "FULL", "HDRS" or empty
  std::string envid;
  bool eight_bit = false;  // BODY=8BITMIME or 8-bit bytes seen: needs 8BITMIME at the next hop (RFC 6152)
  bool smtputf8 = false;   // needs SMTPUTF8 at the next hop (RFC 6531)
  int64_t arrival = 0;     // unix seconds
  int64_t next_attempt = 0;
  std::vector<NewRecipient> recipients;
};

struct QueuedRecipient {
  int64_t id = 0;
  std::string address;
  int notify = 0;
  std::string orcpt;
  RecipientState state = RecipientState::pending;
  int attempts = 0;
  std::string last_reply;  // the remote reply or the local reason of the last attempt
  bool operator==(const QueuedRecipient&) const = default;
};

struct QueueEntry {
  int64_t id = 0;
  store::BlobRef blob;
  std::string sender;
  std::string ret;
  std::string envid;
  bool eight_bit = false;
  bool smtputf8 = false;
  int64_t arrival = 0;
  int64_t next_attempt = 0;
  int attempts = 0;
  bool hold = false;
  bool delay_warned = false;
  int64_t lease_until = 0;  // claimed by a worker until then; a crashed worker's lease simply expires
  std::vector<QueuedRecipient> recipients;
};

struct RecipientUpdate {
  int64_t recipient_id = 0;
  RecipientState state = RecipientState::pending;  // pending = temporary failure, tried again later
  std::string reply;
};

// Thread-safe. Every mutation is committed (fsynced) before it returns.
class QueueStore {
 public:
  virtual ~QueueStore() = default;
  // Errc::not_found when the blob is missing, Errc::invalid without recipients. Returns the entry id.
  virtual Result<int64_t> enqueue(const NewEntry& entry) = 0;
  // Leases up to `limit` entries whose next attempt is due at `now`, not held and not leased, oldest due first.
  // A lease lasts until now + lease_seconds; finish() ends it. Entries of a worker that died become due again
  // when the lease runs out, so a message is delivered at least once.
  virtual Result<std::vector<QueueEntry>> claim_due(int64_t now, size_t limit, int64_t lease_seconds) = 0;
  // Applies per-recipient results and ends the lease. With no pending recipient left the entry is removed
  // (its blob reference dropped); otherwise it is rescheduled to next_attempt and its attempt count bumped.
  // Returns whether the entry is still queued.
  virtual Result<bool> finish(int64_t entry_id, const std::vector<RecipientUpdate>& updates,
                              int64_t next_attempt) = 0;
  virtual Status mark_delay_warned(int64_t entry_id) = 0;
  virtual Result<QueueEntry> get(int64_t entry_id) = 0;
  virtual Result<std::vector<QueueEntry>> list() = 0;
  // Admin: hold/release, retry now (also clears a lease), delete (drops the blob reference).
  virtual Status set_hold(int64_t entry_id, bool hold) = 0;
  virtual Status retry_now(int64_t entry_id, int64_t now) = 0;
  virtual Status retry_all(int64_t now) = 0;
  virtual Status remove(int64_t entry_id) = 0;
  // For a single-node start-up: leases held by workers of a previous run (killed mid-delivery) are released so
  // their entries are retried now rather than when the lease would have run out.
  virtual Status release_leases() = 0;
  // The earliest next_attempt among entries not held (nullopt when the queue is empty), so workers can sleep.
  virtual Result<std::optional<int64_t>> next_due() = 0;
};

}  // namespace claret::queue
