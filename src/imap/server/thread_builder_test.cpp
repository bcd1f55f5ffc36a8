// Tests for the RFC 5256 threading algorithms, checked through the THREAD response they produce.
#include "imap/server/thread_builder.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

ThreadInput msg(std::uint32_t id, std::string mid, std::string refs, std::string subject, std::int64_t date) {
  ThreadInput m;
  m.id = id;
  m.message_id = std::move(mid);
  m.references = std::move(refs);
  m.base_subject = std::move(subject);
  m.sent_date = date;
  return m;
}

TEST(ThreadBuilder, OrderedSubjectGroupsBySubjectAndDate) {
  std::vector<ThreadInput> in = {msg(1, "<a>", "", "b", 30), msg(2, "<b>", "", "a", 10), msg(3, "<c>", "", "b", 20),
                                 msg(4, "<d>", "", "a", 40), msg(5, "<e>", "", "c", 5)};
  EXPECT_EQ(proto::thread_response(thread_ordered_subject(in)), "* THREAD (5)(2 4)(3 1)\r\n");
  in.push_back(msg(6, "<f>", "", "a", 50));
  EXPECT_EQ(proto::thread_response(thread_ordered_subject(in)), "* THREAD (5)(2 (4)(6))(3 1)\r\n");
}

TEST(ThreadBuilder, ReferencesBuildsReplyTrees) {
  std::vector<ThreadInput> in = {
      msg(1, "<r>", "", "root", 10),          msg(2, "<x>", "<r>", "root", 20),
      msg(3, "<y>", "<r>", "root", 30),       msg(4, "<z>", "<r> <x>", "root", 40),
      msg(5, "<other>", "", "different", 5),
  };
  EXPECT_EQ(proto::thread_response(thread_references(in)), "* THREAD (5)(1 (2 4)(3))\r\n");
}

TEST(ThreadBuilder, MissingParentsBecomeADummyOrVanish) {
  // Two replies to a message that is not in the mailbox: one thread under a dummy parent.
  std::vector<ThreadInput> in = {msg(1, "<a>", "<gone>", "s", 10), msg(2, "<b>", "<gone>", "s", 20)};
  EXPECT_EQ(proto::thread_response(thread_references(in)), "* THREAD ((1)(2))\r\n");
  // One reply to a missing message: the empty parent is pruned.
  in = {msg(1, "<a>", "<gone>", "s", 10), msg(2, "<b>", "", "t", 5)};
  EXPECT_EQ(proto::thread_response(thread_references(in)), "* THREAD (2)(1)\r\n");
}

TEST(ThreadBuilder, LoopsAndDuplicatesDoNotHang) {
  std::vector<ThreadInput> in = {msg(1, "<a>", "<b>", "s", 10), msg(2, "<b>", "<a>", "s", 20),
                                 msg(3, "<a>", "", "u", 30), msg(4, "", "", "v", 40)};
  std::string out = proto::thread_response(thread_references(in));
  for (const char* id : {"1", "2", "3", "4"}) EXPECT_NE(out.find(id), std::string::npos) << out;
}

}  // namespace
}  // namespace claret::imap::server
