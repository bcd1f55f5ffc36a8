#include "imap/client/command.hpp"

#include <gtest/gtest.h>

namespace claret::imap::client {
namespace {

TEST(ImapClientCommand, QuotesOrLiterals) {
  Command c("LOGIN");
  c.string("user@x.test").string("pa\"ss\\word");
  EXPECT_EQ(c.describe(), R"(LOGIN "user@x.test" "pa\"ss\\word")");
  EXPECT_FALSE(c.has_literals());
  Command s("SEARCH");
  s.atom("TEXT").string("café");
  ASSERT_EQ(s.literals().size(), 1u);
  EXPECT_EQ(s.describe(), "SEARCH TEXT {5}");
  EXPECT_EQ(s.pieces().size(), 2u);
}

TEST(ImapClientCommand, MailboxIsModifiedUtf7) {
  Command c("SELECT");
  c.mailbox("Entwürfe");
  EXPECT_EQ(c.describe(), "SELECT \"Entw&APw-rfe\"");
}

TEST(ImapClientCommand, AppendCriteria) {
  Command crit;
  crit.atom("UNSEEN").atom("TEXT").string("ü");
  Command c("UID SEARCH");
  c.atom("CHARSET UTF-8").append(crit).atom("ALL");
  EXPECT_EQ(c.describe(), "UID SEARCH CHARSET UTF-8 UNSEEN TEXT {2} ALL");
}

}  // namespace
}  // namespace claret::imap::client
