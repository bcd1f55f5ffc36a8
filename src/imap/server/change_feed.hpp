// ChangeFeed: store changes for one session, collected from the ChangeBus notifier thread and handed to the
// session's strand (RFC 9051 §7.5.1 unsolicited responses, RFC 2177 IDLE).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <set>
#include <vector>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include "store/change_bus.hpp"
#include "store/types.hpp"

namespace claret::imap::server {

struct FlagChange {
  std::uint32_t uid = 0;
  store::Flags flags;
  std::uint64_t modseq = 0;
};

// What arrived for the selected mailbox since the last take().
struct PendingChanges {
  bool messages_changed = false;  // added or expunged: the session re-reads the UID list
  std::vector<FlagChange> flags;
};

class ChangeFeed {
 public:
  // Subscribes to the account's changes. The executor is the session's: wake-ups are posted to it.
  ChangeFeed(store::ChangeBus& bus, store::AccountId account, boost::asio::any_io_executor executor);
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Which mailbox the session has selected (0: none); changes to other mailboxes are ignored.
  void watch(store::MailboxId mailbox);
  // Modseqs of flag changes this session made and already reported itself: the bus copy is dropped.
  void ignore_own(std::uint64_t modseq);
  PendingChanges take();
  bool has_pending();
  // Waits until a change arrives or `max_wait` passes (IDLE). Call on the session's strand; cancel_wait()
  // (also from the strand) ends it early.
  boost::asio::awaitable<void> wait(std::chrono::milliseconds max_wait);
  void cancel_wait();

 private:
  struct Shared {
    std::mutex mu;
    store::MailboxId mailbox = 0;
    PendingChanges pending;
    std::set<std::uint64_t> own_modseqs;
    boost::asio::steady_timer timer;
    explicit Shared(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
  };
  static void on_changes(const std::shared_ptr<Shared>& shared, const std::vector<store::Change>& changes);

  std::shared_ptr<Shared> shared_;
  boost::asio::any_io_executor executor_;
  store::Subscription subscription_;
};

}  // namespace claret::imap::server
