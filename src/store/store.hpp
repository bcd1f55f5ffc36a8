// Store: the one object the server holds — Directory, per-account MailStore, BlobStore, ChangeBus, group-committed
// delivery (DESIGN.md §3).
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/blob_store.hpp"
#include "store/change_bus.hpp"
#include "store/directory.hpp"
#include "store/mail_store.hpp"
#include "store/types.hpp"

namespace claret::store {

struct DeliveryTarget {
  AccountId account = 0;
  std::string mailbox = "INBOX";
  Flags flags;
};

struct Delivered {
  AccountId account = 0;
  MailboxId mailbox = 0;
  uint32_t uidvalidity = 0;
  uint32_t uid = 0;
};

// Thread-safe. Mutations from all threads are queued to one writer that commits them in batches (one fsync per
// batch); changes are published on changes() after commit, in commit order, from a notifier thread.
class Store {
 public:
  virtual ~Store() = default;
  virtual Directory& directory() = 0;
  virtual BlobStore& blobs() = 0;
  virtual ChangeBus& changes() = 0;
  // A handle scoped to one account; Errc::not_found for an unknown account.
  virtual Result<std::unique_ptr<MailStore>> mail(AccountId account) = 0;
  // Stores one message for several recipients in one transaction. The outer Result fails only when nothing could be
  // attempted (bad blob, I/O error); each recipient then has its own uid or error (not_found mailbox, over_quota).
  virtual Result<std::vector<Result<Delivered>>> deliver(const BlobRef& blob, const std::vector<DeliveryTarget>& to,
                                                         int64_t internaldate, const MessageMeta& meta) = 0;
  // Deletes blob files no message references that were last put at least min_age_seconds ago (a crash between
  // blob write and metadata commit leaves such files). Returns how many were removed. For the admin CLI / a timer;
  // use an age well above the longest delivery (an hour) while the server runs.
  virtual Result<uint64_t> sweep_unreferenced_blobs(int64_t min_age_seconds) = 0;
};

}  // namespace claret::store
