// NOTIFY delivery (RFC 5465 §5): other mailboxes' message events become untagged STATUS, mailbox events untagged
// LIST (\NonExistent for a deletion, OLDNAME for a rename, \Subscribed for SubscriptionChange), and a pusher
// coroutine sends them while the session waits for the client's next command.
#include "imap/server/notify_report.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "imap/proto/response_codes.hpp"
#include "imap/server/mailbox_status.hpp"
#include "imap/server/session.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

using Kind = store::Change::Kind;

// Changes wake the pusher at once (the feed cancels its timer); the timeout is only a safety net.
constexpr std::chrono::milliseconds kPushSafetyInterval{30000};

std::vector<proto::StatusItem> notify_status_items(const Session& s) {
  std::vector<proto::StatusItem> items = {proto::StatusItem::messages, proto::StatusItem::uidnext,
                                          proto::StatusItem::uidvalidity};
  if (s.condstore) items.push_back(proto::StatusItem::highestmodseq);  // RFC 5465 §5.1 with CONDSTORE
  return items;
}

// Blocking: the STATUS data of the mailboxes `wanted` picks from the account's list.
template <typename Wanted>
Result<std::vector<StatusData>> read_statuses(store::MailStore& ms, Wanted wanted) {
  auto boxes = ms.list_mailboxes();
  if (!boxes) return boxes.error();
  std::vector<StatusData> out;
  for (const auto& info : *boxes) {
    if (info.noselect || !wanted(info)) continue;
    auto d = read_status(ms, info, false);
    if (d) out.push_back(std::move(*d));  // deleted meanwhile: nothing to say
  }
  return out;
}

void send_statuses(Session& s, const std::vector<StatusData>& data) {
  const auto items = notify_status_items(s);
  for (const auto& d : data) s.send(proto::status_response(d.info.name, status_values(s, items, d), s.utf8_accept()));
}

std::string mailbox_event_response(const Session& s, const store::Change& c, bool subscribed) {
  proto::ListEntry e;
  e.name = c.mailbox_name;
  switch (c.kind) {
    case Kind::mailbox_deleted: e.attributes.push_back("\\NonExistent"); break;
    case Kind::mailbox_renamed: e.old_name = c.old_name; break;
    case Kind::subscription_changed:
      if (c.subscribed) e.attributes.push_back("\\Subscribed");
      break;
    default:
      if (subscribed) e.attributes.push_back("\\Subscribed");
      break;
  }
  return proto::list_response(e, s.utf8_accept());
}

}  // namespace

boost::asio::awaitable<void> send_notify_status_all(Session& s) {
  store::MailStore* ms = s.mail.get();
  const NotifySettings* settings = &s.notify;
  const store::MailboxId selected = s.selected ? s.selected->id() : 0;
  auto data = co_await io::offload([ms, settings, selected] {
    return read_statuses(*ms, [settings, selected](const store::MailboxInfo& info) {
      return info.id != selected &&
             (settings->events_for(info.name, info.subscribed) & notify_event::kMessageEvents) != 0;
    });
  });
  if (data) send_statuses(s, *data);
}

boost::asio::awaitable<void> report_notify(Session& s) {
  OtherChanges o = s.feed().take_others();
  if (o.overflow) {
    // RFC 5465 §5.8: notifications stop; the client re-reads what it needs and may issue NOTIFY SET again.
    s.notify = {};
    s.feed().watch_others(0);
    s.send(proto::untagged_status(proto::Condition::ok, proto::response_code("NOTIFICATIONOVERFLOW"),
                                  "Too many notifications; NOTIFY is off"));
    co_return;
  }
  if (o.messages.empty() && o.mailbox_events.empty()) co_return;
  store::MailStore* ms = s.mail.get();
  const NotifySettings* settings = &s.notify;
  const store::MailboxId selected = s.selected ? s.selected->id() : 0;
  const OtherChanges* changes = &o;
  struct Read {
    std::vector<StatusData> statuses;
    std::vector<std::pair<store::MailboxId, bool>> subscribed;  // for mailbox events
  };
  auto read = co_await io::offload([ms, settings, selected, changes]() -> Result<Read> {
    Read r;
    auto st = read_statuses(*ms, [&](const store::MailboxInfo& info) {
      r.subscribed.emplace_back(info.id, info.subscribed);
      auto it = changes->messages.find(info.id);
      return it != changes->messages.end() && info.id != selected &&
             (settings->events_for(info.name, info.subscribed) & it->second) != 0;
    });
    if (!st) return st.error();
    r.statuses = std::move(*st);
    return r;
  });
  if (!read) co_return;
  for (const auto& c : o.mailbox_events) {
    bool subscribed = false;
    for (const auto& [id, sub] : read->subscribed)
      if (id == c.mailbox) subscribed = sub;
    const unsigned want = c.kind == Kind::subscription_changed ? notify_event::kSubscriptionChange
                                                                 : notify_event::kMailboxName;
    const bool covered = (s.notify.events_for(c.mailbox_name, subscribed || c.subscribed) & want) != 0 ||
                         (c.kind == Kind::mailbox_renamed && (s.notify.events_for(c.old_name, subscribed) & want) != 0);
    if (covered) s.send(mailbox_event_response(s, c, subscribed));
  }
  send_statuses(s, read->statuses);
}

void note_own_mailbox_op(Session& s, const proto::Command& cmd) {
  switch (cmd.info->id) {
    case proto::CommandId::create:
      s.feed().expect_own(Kind::mailbox_created, std::get<proto::CreateArgs>(cmd.args).mailbox);
      break;
    case proto::CommandId::delete_:
      s.feed().expect_own(Kind::mailbox_deleted, std::get<proto::MailboxArgs>(cmd.args).mailbox);
      break;
    case proto::CommandId::rename: {
      const auto& a = std::get<proto::RenameArgs>(cmd.args);
      s.feed().expect_own(Kind::mailbox_renamed, a.from, a.to);
      break;
    }
    case proto::CommandId::subscribe:
    case proto::CommandId::unsubscribe:
      s.feed().expect_own(Kind::subscription_changed, std::get<proto::MailboxArgs>(cmd.args).mailbox);
      break;
    default: break;
  }
}

struct NotifyPusher {
  bool done = false;      // a line arrived (or the read ended): stop
  bool finished = false;  // the pusher coroutine has returned
  boost::asio::steady_timer join;
  explicit NotifyPusher(boost::asio::any_io_executor ex) : join(std::move(ex)) {}
};

namespace {

boost::asio::awaitable<void> push_notifications(Session* s, std::shared_ptr<NotifyPusher> p) {
  while (!p->done && !s->closing) {
    co_await s->feed().wait(kPushSafetyInterval);
    if (p->done) break;
    if (!s->feed().has_pending()) continue;
    // No command is in progress, so EXPUNGE may go out now for SELECTED; SELECTED-DELAYED keeps them for the
    // moments the base protocol allows (RFC 5465 §6.1).
    co_await s->report_changes(s->notify.selected && !s->notify.selected_delayed);
    const bool sent = co_await s->flush();
    if (!sent) break;
  }
  p->finished = true;
  p->join.cancel();
}

}  // namespace

std::shared_ptr<NotifyPusher> start_notify_pusher(Session& s, boost::asio::any_io_executor executor) {
  auto p = std::make_shared<NotifyPusher>(executor);
  boost::asio::co_spawn(executor, push_notifications(&s, p), boost::asio::detached);
  return p;
}

boost::asio::awaitable<void> stop_notify_pusher(Session& s, std::shared_ptr<NotifyPusher> p) {
  p->done = true;
  s.feed().cancel_wait();
  while (!p->finished) {
    // The pusher wakes at once unless it is reading the store or writing; bounded in case a write is stuck.
    p->join.expires_after(std::chrono::seconds(5));
    (void)co_await p->join.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    s.feed().cancel_wait();
  }
}

}  // namespace claret::imap::server
