#include "webmail/server/user_sessions.hpp"

#include <gtest/gtest.h>

#include <thread>


namespace claret::webmail {
namespace {

// The table only stores the MailSession, never calls it.
std::unique_ptr<MailSession> dummy_session() { return nullptr; }

TEST(SessionTable, TokensAreRandomAndComparedExactly) {
  std::string a = random_token(), b = random_token();
  EXPECT_EQ(a.size(), 64u);
  EXPECT_NE(a, b);
  EXPECT_TRUE(constant_time_equal(a, a));
  EXPECT_FALSE(constant_time_equal(a, b));
  EXPECT_FALSE(constant_time_equal("", ""));
}

TEST(SessionTable, IdleSessionsExpire) {
  SessionTable table(std::chrono::milliseconds(300), 10);  // long enough for a loaded machine to look it up
  auto s = table.create(dummy_session());
  ASSERT_TRUE(s);
  EXPECT_EQ(table.find(s->id), s);
  EXPECT_FALSE(table.find("unknown"));
  // Wait (bounded) until the idle time has certainly passed.
  auto start = std::chrono::steady_clock::now();
  while (std::chrono::steady_clock::now() - start < std::chrono::milliseconds(320)) std::this_thread::yield();
  EXPECT_TRUE(table.is_closed(*s));
  EXPECT_FALSE(table.find(s->id));
  EXPECT_EQ(table.size(), 0u);
}

TEST(SessionTable, FullTableRefusesAndLogoutRemoves) {
  SessionTable table(std::chrono::minutes(30), 1);
  auto s = table.create(dummy_session());
  ASSERT_TRUE(s);
  EXPECT_FALSE(table.create(dummy_session()));
  EXPECT_EQ(table.remove(s->id), s);
  EXPECT_TRUE(s->closed);
  EXPECT_TRUE(table.create(dummy_session()));
}

TEST(SessionTable, UploadsAreBoundedAndKeptUntilDiscarded) {
  SessionTable table(std::chrono::minutes(30), 10);
  auto s = table.create(dummy_session());
  std::string id = table.add_upload(*s, Upload{"a.txt", "text/plain", std::string(60, 'x')}, 100);
  ASSERT_FALSE(id.empty());
  EXPECT_TRUE(table.add_upload(*s, Upload{"b.txt", "text/plain", std::string(60, 'x')}, 100).empty());
  auto got = table.get_uploads(*s, {id});
  ASSERT_TRUE(got);
  EXPECT_EQ(got->at(0).filename, "a.txt");
  EXPECT_TRUE(table.get_uploads(*s, {id}));  // still there
  EXPECT_FALSE(table.get_uploads(*s, {"u99"}));
  table.discard_uploads(*s, {id});
  EXPECT_FALSE(table.get_uploads(*s, {id}));
  EXPECT_FALSE(table.add_upload(*s, Upload{"c", "text/plain", std::string(90, 'x')}, 100).empty());
}

}  // namespace
}  // namespace claret::webmail
