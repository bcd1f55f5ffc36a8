// ChangeFeed: ChangeBus callbacks (notifier thread) → pending changes read on the session's strand, with a
// timer to wake an IDLE session (RFC 2177, RFC 9051 §7.5.1).
#include "imap/server/change_feed.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace claret::imap::server {

ChangeFeed::ChangeFeed(store::ChangeBus& bus, store::AccountId account, boost::asio::any_io_executor executor)
    : shared_(std::make_shared<Shared>(executor)), executor_(executor) {
  std::shared_ptr<Shared> shared = shared_;
  subscription_ = bus.subscribe(account, [shared](store::AccountId, const std::vector<store::Change>& changes) {
    on_changes(shared, changes);
  });
}

ChangeFeed::~ChangeFeed() { subscription_.reset(); }

void ChangeFeed::on_changes(const std::shared_ptr<Shared>& shared, const std::vector<store::Change>& changes) {
  bool relevant = false;
  {
    std::lock_guard lock(shared->mu);
    if (shared->mailbox == 0) return;
    for (const auto& c : changes) {
      if (c.mailbox != shared->mailbox) continue;
      switch (c.kind) {
        case store::Change::Kind::message_added:
        case store::Change::Kind::expunged:
        case store::Change::Kind::mailbox_deleted:
          shared->pending.messages_changed = true;
          relevant = true;
          break;
        case store::Change::Kind::flags_changed:
          // Kept, not erased: one STORE gives several changes (one per message) sharing its modseq.
          if (shared->own_modseqs.count(c.modseq) > 0) break;
          for (auto uid : c.uids) shared->pending.flags.push_back({uid, c.flags, c.modseq});
          relevant = true;
          break;
        default: break;
      }
    }
  }
  // The timer belongs to the session's strand: it is only touched there. The posted handler keeps the shared
  // state alive even if the session ends first.
  if (relevant) boost::asio::post(shared->timer.get_executor(), [shared] { shared->timer.cancel(); });
}

void ChangeFeed::watch(store::MailboxId mailbox) {
  std::lock_guard lock(shared_->mu);
  shared_->mailbox = mailbox;
  shared_->pending = {};
  shared_->own_modseqs.clear();
}

void ChangeFeed::ignore_own(std::uint64_t modseq) {
  std::lock_guard lock(shared_->mu);
  // The bus may have delivered the change before the store call returned to the session: drop it from pending.
  auto& flags = shared_->pending.flags;
  flags.erase(std::remove_if(flags.begin(), flags.end(), [modseq](const FlagChange& f) { return f.modseq == modseq; }),
              flags.end());
  // Bounded: modseqs only grow, so the oldest entries are the ones no change will name again.
  if (shared_->own_modseqs.size() > 1000) shared_->own_modseqs.erase(shared_->own_modseqs.begin());
  shared_->own_modseqs.insert(modseq);
}

PendingChanges ChangeFeed::take() {
  std::lock_guard lock(shared_->mu);
  PendingChanges out = std::move(shared_->pending);
  shared_->pending = {};
  return out;
}

bool ChangeFeed::has_pending() {
  std::lock_guard lock(shared_->mu);
  return shared_->pending.messages_changed || !shared_->pending.flags.empty();
}

boost::asio::awaitable<void> ChangeFeed::wait(std::chrono::milliseconds max_wait) {
  if (has_pending()) co_return;
  std::shared_ptr<Shared> shared = shared_;
  shared->timer.expires_after(max_wait);
  (void)co_await shared->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

void ChangeFeed::cancel_wait() { shared_->timer.cancel(); }

}  // namespace claret::imap::server
