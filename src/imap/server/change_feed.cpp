// ChangeFeed: ChangeBus callbacks (notifier thread) → pending changes read on the session's strand, with a
// timer to wake an IDLE session (RFC 2177, RFC 9051 §7.5.1).
#include "imap/server/change_feed.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "imap/server/notify_events.hpp"

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

namespace {

bool is_under(const std::string& child, const std::string& parent) {
  return child.size() > parent.size() && child.compare(0, parent.size(), parent) == 0 && child[parent.size()] == '/';
}

}  // namespace

bool ChangeFeed::is_own(Shared& shared, const store::Change& c) {
  using K = store::Change::Kind;
  for (auto& op : shared.own_ops) {
    bool own = false;
    switch (op.kind) {
      case K::mailbox_created:  // CREATE also creates missing superiors (RFC 9051 §6.3.4)
        own = c.kind == K::mailbox_created && (c.mailbox_name == op.name || is_under(op.name, c.mailbox_name));
        break;
      case K::mailbox_deleted: own = c.kind == K::mailbox_deleted && c.mailbox_name == op.name; break;
      case K::mailbox_renamed:  // inferiors are renamed too, and the new name's superiors created
        own = (c.kind == K::mailbox_renamed && (c.old_name == op.name || is_under(c.old_name, op.name))) ||
              (c.kind == K::mailbox_created && (c.mailbox_name == op.to || is_under(op.to, c.mailbox_name)));
        break;
      case K::subscription_changed: own = c.kind == K::subscription_changed && c.mailbox_name == op.name; break;
      default: break;
    }
    if (own) {
      op.seen = true;
      return true;
    }
  }
  return false;
}

bool ChangeFeed::collect_other(Shared& shared, const store::Change& c) {
  using K = store::Change::Kind;
  unsigned bit = 0;
  switch (c.kind) {
    case K::message_added: bit = notify_event::kMessageNew; break;
    case K::expunged: bit = notify_event::kMessageExpunge; break;
    case K::flags_changed: bit = notify_event::kFlagChange; break;
    case K::mailbox_created:
    case K::mailbox_deleted:
    case K::mailbox_renamed: bit = notify_event::kMailboxName; break;
    case K::subscription_changed: bit = notify_event::kSubscriptionChange; break;
  }
  if ((shared.notify_others & bit) == 0) return false;
  if (bit & notify_event::kMessageEvents) {
    if (c.mailbox == shared.mailbox) return false;  // the selected mailbox has its own responses
    shared.others.messages[c.mailbox] |= bit;      // bounded by the account's mailboxes
    return true;
  }
  if (is_own(shared, c) || shared.others.overflow) return false;
  if (shared.others.mailbox_events.size() >= kMaxMailboxEvents) {
    // The client is not reading: give up on these events rather than hold them without bound (RFC 5465 §6.2).
    shared.others.overflow = true;
    shared.others.mailbox_events.clear();
    return true;
  }
  shared.others.mailbox_events.push_back(c);
  return true;
}

void ChangeFeed::on_changes(const std::shared_ptr<Shared>& shared, const std::vector<store::Change>& changes) {
  bool relevant = false;
  {
    std::lock_guard lock(shared->mu);
    for (const auto& c : changes) {
      if (shared->notify_others != 0 && collect_other(*shared, c)) relevant = true;
      if (shared->mailbox == 0 || c.mailbox != shared->mailbox) continue;
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
    auto& ops = shared->own_ops;
    ops.erase(std::remove_if(ops.begin(), ops.end(), [](const OwnOp& op) { return op.seen; }), ops.end());
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
  const OtherChanges& o = shared_->others;
  return shared_->pending.messages_changed || !shared_->pending.flags.empty() || !o.messages.empty() ||
         !o.mailbox_events.empty() || o.overflow;
}

void ChangeFeed::watch_others(unsigned events) {
  std::lock_guard lock(shared_->mu);
  shared_->notify_others = events;
  shared_->others = {};
}

OtherChanges ChangeFeed::take_others() {
  std::lock_guard lock(shared_->mu);
  OtherChanges out = std::move(shared_->others);
  shared_->others = {};
  return out;
}

void ChangeFeed::expect_own(store::Change::Kind kind, std::string name, std::string to) {
  std::lock_guard lock(shared_->mu);
  if (shared_->notify_others == 0) return;
  // As the store spells names: "INBOX" upper case, no trailing separator ("CREATE foo/" makes "foo").
  auto canonical = [](std::string n) {
    while (n.size() > 1 && n.back() == '/') n.pop_back();
    return iequals(n, "INBOX") ? std::string("INBOX") : n;
  };
  auto& ops = shared_->own_ops;
  if (ops.size() >= kMaxOwnOps) ops.erase(ops.begin());  // one that failed and so never came back
  ops.push_back({kind, canonical(std::move(name)), canonical(std::move(to))});
}

boost::asio::awaitable<void> ChangeFeed::wait(std::chrono::milliseconds max_wait) {
  if (has_pending()) co_return;
  std::shared_ptr<Shared> shared = shared_;
  shared->timer.expires_after(max_wait);
  (void)co_await shared->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

void ChangeFeed::cancel_wait() { shared_->timer.cancel(); }

}  // namespace claret::imap::server
