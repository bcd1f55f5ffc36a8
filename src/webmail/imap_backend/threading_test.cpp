#include "webmail/imap_backend/threading.hpp"

#include <gtest/gtest.h>

namespace claret::webmail {
namespace {

TEST(WebmailThreading, ReferencesAndSubjects) {
  std::vector<ThreadInput> in = {
      {1, "<a@x>", "", "", "Lunch"},
      {2, "<b@x>", "", "", "Other"},
      {3, "<c@x>", "<a@x>", "<a@x>", "Re: Lunch"},
      {4, "<d@x>", "<c@x>", "<zz@x> <c@x>", "Re: Re: Lunch"},
      {5, "<e@x>", "", "", "Re: Other"},  // no ids: joined by base subject
      {6, "<f@x>", "", "", "Other"},      // same subject, not a reply: its own conversation
  };
  auto t = group_threads(in);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[0], (std::vector<std::uint32_t>{1, 3, 4}));
  EXPECT_EQ(t[1], (std::vector<std::uint32_t>{2, 5}));
  EXPECT_EQ(t[2], (std::vector<std::uint32_t>{6}));
  EXPECT_EQ(message_ids(" <a@b>\r\n <c@d> junk <e"), (std::vector<std::string>{"<a@b>", "<c@d>"}));
}

TEST(WebmailThreading, ThreadMembers) {
  imap::client::ThreadNode root{0, {{5, {{9, {}}}}, {3, {}}}};
  EXPECT_EQ(thread_members(root), (std::vector<std::uint32_t>{3, 5, 9}));
}

}  // namespace
}  // namespace claret::webmail
