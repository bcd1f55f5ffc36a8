// Tests for the IMAP command table (RFC 9051 §3 states, §6 commands, §7.5.1 EXPUNGE rules).
#include "imap/proto/commands.hpp"

#include <gtest/gtest.h>

#include <set>

namespace claret::imap::proto {
namespace {

TEST(Commands, LookupIsCaseInsensitive) {
  ASSERT_NE(find_command("uid fetch"), nullptr);
  EXPECT_EQ(find_command("uid fetch")->id, CommandId::uid_fetch);
  EXPECT_EQ(find_command("Noop")->id, CommandId::noop);
  EXPECT_EQ(find_command("FROB"), nullptr);
  EXPECT_EQ(find_command(""), nullptr);
  for (const auto& info : kCommands) EXPECT_EQ(&command_info(info.id), &info);
}

TEST(Commands, NamesAreUnique) {
  std::set<std::string_view> names;
  for (const auto& info : kCommands) EXPECT_TRUE(names.insert(info.name).second) << info.name;
}

TEST(Commands, States) {
  auto in = [](std::string_view name, std::uint8_t state) { return allowed_in(*find_command(name), state); };
  for (auto any : {"CAPABILITY", "NOOP", "LOGOUT", "ID"}) {
    EXPECT_TRUE(in(any, kNotAuthenticated));
    EXPECT_TRUE(in(any, kAuthenticated));
    EXPECT_TRUE(in(any, kSelected));
  }
  for (auto pre : {"LOGIN", "AUTHENTICATE", "STARTTLS"}) {
    EXPECT_TRUE(in(pre, kNotAuthenticated));
    EXPECT_FALSE(in(pre, kAuthenticated));
    EXPECT_FALSE(in(pre, kSelected));
  }
  for (auto auth : {"SELECT", "EXAMINE", "CREATE", "DELETE", "RENAME", "SUBSCRIBE", "UNSUBSCRIBE", "LIST", "LSUB",
                    "NAMESPACE", "STATUS", "APPEND", "IDLE", "ENABLE", "GETQUOTA", "GETQUOTAROOT", "SETQUOTA"}) {
    EXPECT_FALSE(in(auth, kNotAuthenticated)) << auth;
    EXPECT_TRUE(in(auth, kAuthenticated)) << auth;
    EXPECT_TRUE(in(auth, kSelected)) << auth;
  }
  for (auto sel : {"CHECK", "CLOSE", "UNSELECT", "EXPUNGE", "UID EXPUNGE", "SEARCH", "FETCH", "STORE", "COPY", "MOVE",
                   "UID SEARCH", "UID FETCH", "UID STORE", "UID COPY", "UID MOVE", "SORT", "THREAD"}) {
    EXPECT_FALSE(in(sel, kAuthenticated)) << sel;
    EXPECT_TRUE(in(sel, kSelected)) << sel;
  }
  for (const auto& info : kCommands) EXPECT_FALSE(allowed_in(info, kLogout)) << info.name;
}

TEST(Commands, OnlyPreAuthCommandsBeforeTls) {
  for (const auto& info : kCommands) {
    bool pre = info.before_tls;
    EXPECT_EQ(pre, (info.states & kNotAuthenticated) != 0) << info.name;
  }
}

TEST(Commands, SequenceNumberFlags) {
  // RFC 9051 §7.5.1: no EXPUNGE while FETCH, STORE or SEARCH run; their UID forms allow it.
  for (auto uses : {"FETCH", "STORE", "SEARCH", "COPY", "MOVE", "SORT", "THREAD"})
    EXPECT_TRUE(find_command(uses)->flags & kUsesSeqs) << uses;
  for (auto uid : {"UID FETCH", "UID STORE", "UID SEARCH", "UID COPY", "UID SORT", "UID THREAD"}) {
    EXPECT_FALSE(find_command(uid)->flags & kUsesSeqs) << uid;
    EXPECT_TRUE(find_command(uid)->flags & kUid) << uid;
  }
  for (auto breaks : {"EXPUNGE", "UID EXPUNGE", "MOVE", "UID MOVE", "CLOSE", "SELECT", "EXAMINE", "UNSELECT"})
    EXPECT_TRUE(find_command(breaks)->flags & kBreaksSeqs) << breaks;
  EXPECT_FALSE(find_command("NOOP")->flags & kBreaksSeqs);
}

}  // namespace
}  // namespace claret::imap::proto
