// Tests for ChangeFeed: filtering by the selected mailbox, dropping the session's own flag changes, and waking a
// waiting coroutine from the publishing thread.
#include "imap/server/change_feed.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include "imap/server/notify_events.hpp"

namespace claret::imap::server {
namespace {

store::Change flag_change(store::MailboxId mailbox, std::uint32_t uid, std::uint64_t modseq) {
  store::Change c;
  c.kind = store::Change::Kind::flags_changed;
  c.mailbox = mailbox;
  c.uids = {uid};
  c.flags.system = store::flag::kSeen;
  c.modseq = modseq;
  return c;
}

TEST(ChangeFeed, KeepsOnlyTheWatchedMailbox) {
  boost::asio::io_context ioc;
  store::ChangeBus bus;
  ChangeFeed feed(bus, 7, ioc.get_executor());
  bus.publish(7, {flag_change(5, 1, 10)});  // nothing watched yet
  EXPECT_FALSE(feed.has_pending());
  feed.watch(5);
  bus.publish(7, {flag_change(5, 1, 11), flag_change(6, 2, 12)});
  bus.publish(8, {flag_change(5, 3, 13)});  // another account
  store::Change added;
  added.kind = store::Change::Kind::message_added;
  added.mailbox = 5;
  bus.publish(7, {added});
  PendingChanges p = feed.take();
  EXPECT_TRUE(p.messages_changed);
  ASSERT_EQ(p.flags.size(), 1u);
  EXPECT_EQ(p.flags[0].uid, 1u);
  EXPECT_EQ(p.flags[0].modseq, 11u);
  EXPECT_FALSE(feed.has_pending());
}

TEST(ChangeFeed, OwnChangesAreDroppedWhicheverComesFirst) {
  boost::asio::io_context ioc;
  store::ChangeBus bus;
  ChangeFeed feed(bus, 1, ioc.get_executor());
  feed.watch(5);
  feed.ignore_own(20);                        // the store call returned before the bus delivered
  bus.publish(1, {flag_change(5, 1, 20)});
  bus.publish(1, {flag_change(5, 1, 21)});    // the bus delivered before the store call returned
  feed.ignore_own(21);
  feed.ignore_own(23);                        // one STORE of two messages: two changes, one modseq
  bus.publish(1, {flag_change(5, 3, 23), flag_change(5, 4, 23)});
  bus.publish(1, {flag_change(5, 2, 22)});    // someone else's
  PendingChanges p = feed.take();
  ASSERT_EQ(p.flags.size(), 1u);
  EXPECT_EQ(p.flags[0].modseq, 22u);
}

boost::asio::awaitable<void> wait_once(ChangeFeed* feed, bool* woke) {
  co_await feed->wait(std::chrono::milliseconds(20000));
  *woke = true;
}

TEST(ChangeFeed, PublishingWakesTheWaiter) {
  boost::asio::io_context ioc;
  store::ChangeBus bus;
  ChangeFeed feed(bus, 1, ioc.get_executor());
  feed.watch(5);
  bool woke = false;
  boost::asio::co_spawn(ioc, wait_once(&feed, &woke), boost::asio::detached);
  std::thread publisher([&bus] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    bus.publish(1, {flag_change(5, 1, 3)});
  });
  auto start = std::chrono::steady_clock::now();
  ioc.run_for(std::chrono::seconds(5));
  publisher.join();
  EXPECT_TRUE(woke);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(4));
  EXPECT_TRUE(feed.has_pending());
}

store::Change mailbox_event(store::Change::Kind kind, std::string name, std::string old_name = {}) {
  store::Change c;
  c.kind = kind;
  c.mailbox = 40;
  c.mailbox_name = std::move(name);
  c.old_name = std::move(old_name);
  return c;
}

TEST(ChangeFeed, NotifyCollectsOtherMailboxesAndSkipsOwnMailboxOps) {
  boost::asio::io_context ioc;
  store::ChangeBus bus;
  ChangeFeed feed(bus, 1, ioc.get_executor());
  feed.watch(5);
  bus.publish(1, {flag_change(6, 1, 10)});  // NOTIFY off: other mailboxes are ignored
  EXPECT_FALSE(feed.has_pending());
  feed.watch_others(notify_event::kMessageNew | notify_event::kFlagChange | notify_event::kMailboxName);
  store::Change added;
  added.kind = store::Change::Kind::message_added;
  added.mailbox = 6;
  store::Change gone;
  gone.kind = store::Change::Kind::expunged;  // not asked for
  gone.mailbox = 7;
  bus.publish(1, {added, flag_change(6, 1, 11), gone, flag_change(5, 1, 12)});
  using K = store::Change::Kind;
  feed.expect_own(K::mailbox_created, "a/b");
  feed.expect_own(K::mailbox_renamed, "x", "y/z");
  bus.publish(1, {mailbox_event(K::mailbox_created, "a"), mailbox_event(K::mailbox_created, "a/b")});
  bus.publish(1, {mailbox_event(K::mailbox_created, "y"), mailbox_event(K::mailbox_renamed, "y/z", "x"),
                  mailbox_event(K::mailbox_renamed, "y/z/c", "x/c")});
  bus.publish(1, {mailbox_event(K::mailbox_created, "a/b"), mailbox_event(K::mailbox_deleted, "q"),
                  mailbox_event(K::subscription_changed, "q")});
  ASSERT_TRUE(feed.has_pending());
  OtherChanges o = feed.take_others();
  ASSERT_EQ(o.messages.size(), 1u);
  EXPECT_EQ(o.messages[6], notify_event::kMessageNew | notify_event::kFlagChange);
  ASSERT_EQ(o.mailbox_events.size(), 2u);  // another session's "a/b" and "q"'s deletion; own ones dropped
  EXPECT_EQ(o.mailbox_events[0].mailbox_name, "a/b");
  EXPECT_EQ(o.mailbox_events[1].kind, K::mailbox_deleted);
  EXPECT_FALSE(o.overflow);
  PendingChanges p = feed.take();
  ASSERT_EQ(p.flags.size(), 1u);  // the selected mailbox's change stays there
}

}  // namespace
}  // namespace claret::imap::server
