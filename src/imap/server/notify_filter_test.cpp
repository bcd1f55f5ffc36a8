// NOTIFY settings (RFC 5465 §6): filter matching, first group wins, and the checks beyond the grammar.
#include "imap/server/notify_filter.hpp"

#include <gtest/gtest.h>

#include "imap/proto/notify_args.hpp"

namespace claret::imap::server {
namespace {

NotifyBuild build(std::string_view args) {
  auto parsed = proto::parse_notify(args, proto::ParseOptions{});
  EXPECT_TRUE(parsed) << args;
  return build_notify_settings(*parsed);
}

TEST(NotifyFilter, FirstMatchingGroupWins) {
  auto b = build("SET (mailboxes Work (MessageNew MessageExpunge)) (subtree Lists (MailboxName)) "
                 "(inboxes (MessageNew MessageExpunge FlagChange)) (personal (SubscriptionChange))");
  ASSERT_TRUE(b.error.empty());
  ASSERT_FALSE(b.bad_event);
  const auto& s = b.settings;
  EXPECT_EQ(s.events_for("Work", false), notify_event::kMessageNew | notify_event::kMessageExpunge);
  EXPECT_EQ(s.events_for("Work/sub", false), notify_event::kSubscriptionChange);  // mailboxes is exact
  EXPECT_EQ(s.events_for("Lists", false), notify_event::kMailboxName);
  EXPECT_EQ(s.events_for("Lists/ietf", false), notify_event::kMailboxName);
  EXPECT_EQ(s.events_for("ListsX", false), notify_event::kSubscriptionChange);
  EXPECT_EQ(s.events_for("INBOX", false), notify_event::kMessageEvents);
  EXPECT_FALSE(s.selected);
}

TEST(NotifyFilter, SubscribedAndInboxCase) {
  auto b = build("SET (subscribed (MessageNew MessageExpunge)) (mailboxes inbox (FlagChange MessageNew MessageExpunge))");
  ASSERT_TRUE(b.error.empty());
  EXPECT_EQ(b.settings.events_for("Other", true), notify_event::kMessageNew | notify_event::kMessageExpunge);
  EXPECT_EQ(b.settings.events_for("Other", false), 0u);
  EXPECT_EQ(b.settings.events_for("INBOX", false), notify_event::kMessageEvents);
}

TEST(NotifyFilter, SelectedGroup) {
  auto b = build("SET (selected-delayed (MessageNew (UID FLAGS) MessageExpunge)) (personal NONE)");
  ASSERT_TRUE(b.error.empty());
  EXPECT_TRUE(b.settings.selected);
  EXPECT_TRUE(b.settings.selected_delayed);
  EXPECT_EQ(b.settings.message_new_fetch.size(), 2u);
  EXPECT_EQ(b.settings.other_events(), 0u);
}

TEST(NotifyFilter, Errors) {
  EXPECT_TRUE(build("SET (personal (AnnotationChange))").bad_event);
  EXPECT_TRUE(build("SET (inboxes (MessageNew MessageExpunge)) (personal (MailboxMetadataChange))").bad_event);
  EXPECT_FALSE(build("SET (selected (MailboxName))").error.empty());
  EXPECT_FALSE(build("SET (personal (MessageNew (UID) MessageExpunge))").error.empty());
  EXPECT_FALSE(build("SET (selected (MessageNew MessageExpunge)) (selected-delayed (MessageNew MessageExpunge))")
                   .error.empty());
}

}  // namespace
}  // namespace claret::imap::server
