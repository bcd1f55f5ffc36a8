// Tests for LIST pattern matching (RFC 9051 §6.3.9) and RECURSIVEMATCH descendant matching (RFC 5258 §3.5).
#include "imap/proto/list_pattern.hpp"

#include <gtest/gtest.h>

#include <chrono>

namespace claret::imap::proto {
namespace {

TEST(ListPattern, Wildcards) {
  struct Case {
    const char* pattern;
    const char* name;
    bool match;
  } cases[] = {
      {"*", "INBOX", true},           {"*", "a/b/c", true},         {"%", "INBOX", true},
      {"%", "a/b", false},            {"a/%", "a/b", true},         {"a/%", "a/b/c", false},
      {"a/*", "a/b/c", true},         {"a/*", "a", false},          {"a*", "a", true},
      {"a%", "abc", true},            {"a%c", "a/c", false},        {"a*c", "a/b/c", true},
      {"INBOX", "INBOX", true},       {"INBOX", "INBOXX", false},   {"", "", true},
      {"", "a", false},               {"%/%", "a/b", true},         {"%/%", "a/b/c", false},
      {"*/%", "a/b/c", true},         {"A", "a", false},            {"%a%", "bab", true},
  };
  for (const auto& c : cases) EXPECT_EQ(list_match(c.pattern, c.name), c.match) << c.pattern << " ~ " << c.name;
}

TEST(ListPattern, ReferenceAndInbox) {
  EXPECT_EQ(list_full_pattern("", "inbox"), "INBOX");
  EXPECT_EQ(list_full_pattern("Archive/", "%"), "Archive/%");
  EXPECT_EQ(list_full_pattern("inbox/", "*"), "INBOX/*");
  EXPECT_TRUE(list_match(list_full_pattern("", "Inbox"), "INBOX"));
}

TEST(ListPattern, Descendants) {
  EXPECT_TRUE(list_match_descendant("%", "a") == false);
  EXPECT_TRUE(list_match_descendant("*", "a"));
  EXPECT_TRUE(list_match_descendant("a/%", "a"));
  EXPECT_FALSE(list_match_descendant("a/%", "a/b"));
  EXPECT_TRUE(list_match_descendant("a/*", "a/b"));
  EXPECT_TRUE(list_match_descendant("*b", "a"));      // "a/xb"
  EXPECT_TRUE(list_match_descendant("%/%", "a"));
  EXPECT_FALSE(list_match_descendant("a/", "a"));
  EXPECT_FALSE(list_match_descendant("b/%", "a"));
  EXPECT_TRUE(list_match_descendant("a%%/x", "a"));
}

TEST(ListPattern, HostilePatternsStayFast) {
  std::string pattern;
  for (int i = 0; i < 500; ++i) pattern += "%*";
  pattern += "x";
  std::string name(1000, 'a');
  auto start = std::chrono::steady_clock::now();
  EXPECT_FALSE(list_match(pattern, name));
  EXPECT_TRUE(list_match_descendant(pattern + "/", name));  // e.g. name + "/x/"
  EXPECT_FALSE(list_match_descendant(std::string(1000, '%') + "x", name));
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  EXPECT_LT(ms, 3000);
}

}  // namespace
}  // namespace claret::imap::proto
