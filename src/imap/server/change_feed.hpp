// ChangeFeed: store changes for one session, collected from the ChangeBus notifier thread and handed to the
// session's strand (RFC 9051 §7.5.1 unsolicited responses, RFC 2177 IDLE).
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
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

// What happened to mailboxes other than the selected one since the last take_others() (IMAP NOTIFY, RFC 5465).
struct OtherChanges {
  std::map<store::MailboxId, unsigned> messages;  // mailbox → notify_event bits (new, expunge, flags)
  std::vector<store::Change> mailbox_events;     // created, deleted, renamed, subscription_changed, in order
  bool overflow = false;                          // more than kMaxMailboxEvents piled up: they were dropped
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

  // NOTIFY (RFC 5465): which notify_event bits to collect for mailboxes other than the selected one (0: none).
  void watch_others(unsigned events);
  OtherChanges take_others();
  // A mailbox operation this session is about to make (CREATE, DELETE, RENAME from `name`, (UN)SUBSCRIBE): its
  // bus copies are not reported back as NOTIFY events (RFC 5465 is about other sessions' changes).
  void expect_own(store::Change::Kind kind, std::string name, std::string to = {});
  static constexpr std::size_t kMaxMailboxEvents = 1000;
  // Waits until a change arrives or `max_wait` passes (IDLE). Call on the session's strand; cancel_wait()
  // (also from the strand) ends it early.
  boost::asio::awaitable<void> wait(std::chrono::milliseconds max_wait);
  void cancel_wait();

 private:
  struct OwnOp {
    store::Change::Kind kind;
    std::string name;  // the mailbox (RENAME: the old name)
    std::string to;    // RENAME: the new name
    bool seen = false;  // its changes came in this batch: dropped after it
  };
  static constexpr std::size_t kMaxOwnOps = 8;
  struct Shared {
    std::mutex mu;
    store::MailboxId mailbox = 0;
    PendingChanges pending;
    std::set<std::uint64_t> own_modseqs;
    unsigned notify_others = 0;
    OtherChanges others;
    std::vector<OwnOp> own_ops;  // few: the last kMaxOwnOps
    boost::asio::steady_timer timer;
    explicit Shared(boost::asio::any_io_executor ex) : timer(std::move(ex)) {}
  };
  static bool collect_other(Shared& shared, const store::Change& c);  // with shared.mu held
  static bool is_own(Shared& shared, const store::Change& c);
  static void on_changes(const std::shared_ptr<Shared>& shared, const std::vector<store::Change>& changes);

  std::shared_ptr<Shared> shared_;
  boost::asio::any_io_executor executor_;
  store::Subscription subscription_;
};

}  // namespace claret::imap::server
