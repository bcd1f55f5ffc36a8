// Tests for IMAP response serialisation (RFC 9051 §4, §7; RFC 4731; RFC 5258; RFC 7162; RFC 2971; RFC 9208).
#include "imap/proto/response.hpp"

#include <gtest/gtest.h>

#include "imap/proto/cursor.hpp"
#include "imap/proto/response_codes.hpp"

namespace claret::imap::proto {
namespace {

using namespace std::string_literals;

std::string str(std::string_view s, bool utf8 = false) {
  std::string out;
  append_string(out, s, utf8);
  return out;
}
std::string astr(std::string_view s) {
  std::string out;
  append_astring(out, s);
  return out;
}

TEST(Response, StringChoice) {
  EXPECT_EQ(astr("INBOX"), "INBOX");
  EXPECT_EQ(astr("a b"), "\"a b\"");
  EXPECT_EQ(astr(""), "\"\"");
  EXPECT_EQ(astr("nil"), "\"nil\"");
  EXPECT_EQ(astr("x]"), "x]");
  EXPECT_EQ(astr("a%"), "\"a%\"");
  EXPECT_EQ(str("say \"hi\" \\o/"), "\"say \\\"hi\\\" \\\\o/\"");
  EXPECT_EQ(str("line\r\nbreak"), "{11}\r\nline\r\nbreak");
  EXPECT_EQ(str("caf\xc3\xa9"), "{5}\r\ncaf\xc3\xa9");
  EXPECT_EQ(str("caf\xc3\xa9", true), "\"caf\xc3\xa9\"");
  EXPECT_EQ(str(std::string(2000, 'x')).substr(0, 8), "{2000}\r\n");
  std::string ns;
  append_nstring(ns, std::nullopt);
  EXPECT_EQ(ns, "NIL");
  std::string l8;
  append_literal8(l8, "a\0b"s);
  EXPECT_EQ(l8, "~{3}\r\na\0b"s);
}

TEST(Response, StringsReadBack) {
  // Whatever append_string produces, the cursor reads back to the same bytes.
  for (const std::string& s : std::vector<std::string>{"", "plain", "with \"quotes\" and \\", "crlf\r\n", "\xff\xfe", std::string(1500, 'q')}) {
    std::string wire = str(s);
    Cursor c(wire);
    EXPECT_EQ(c.string(), s);
    EXPECT_TRUE(c.ok() && c.at_end());
  }
}

TEST(Response, MailboxEncoding) {
  std::string out;
  append_mailbox(out, "Entw\xc3\xbcrfe", false);
  EXPECT_EQ(out, "Entw&APw-rfe");
  out.clear();
  append_mailbox(out, "Entw\xc3\xbcrfe", true);
  EXPECT_EQ(out, "\"Entw\xc3\xbcrfe\"");
  out.clear();
  append_mailbox(out, "My Box", false);
  EXPECT_EQ(out, "\"My Box\"");
}

TEST(Response, StatusResponsesAndCodes) {
  EXPECT_EQ(tagged("A142", Condition::ok, response_code(code::kReadWrite), "SELECT completed"),
            "A142 OK [READ-WRITE] SELECT completed\r\n");
  EXPECT_EQ(tagged("A003", Condition::ok, code_append_uid(38505, "3955"), "APPEND completed"),
            "A003 OK [APPENDUID 38505 3955] APPEND completed\r\n");
  EXPECT_EQ(tagged("A004", Condition::ok, code_copy_uid(38505, "304,319:320", "3956:3958"), "Done"),
            "A004 OK [COPYUID 38505 304,319:320 3956:3958] Done\r\n");
  EXPECT_EQ(untagged_status(Condition::ok, code_number(code::kUidValidity, 3857529045), "UIDs valid"),
            "* OK [UIDVALIDITY 3857529045] UIDs valid\r\n");
  EXPECT_EQ(untagged_status(Condition::ok, code_permanent_flags({"\\Deleted", "\\Seen", "\\*"}), "Limited"),
            "* OK [PERMANENTFLAGS (\\Deleted \\Seen \\*)] Limited\r\n");
  EXPECT_EQ(tagged("d105", Condition::ok, code_modified("7,9"), "Conditional STORE failed"),
            "d105 OK [MODIFIED 7,9] Conditional STORE failed\r\n");
  EXPECT_EQ(tagged("A", Condition::no, response_code(code::kTryCreate), "No such mailbox"),
            "A NO [TRYCREATE] No such mailbox\r\n");
  EXPECT_EQ(tagged("A", Condition::no, code_bad_charset({"UTF-8", "US-ASCII"}), "Bad charset"),
            "A NO [BADCHARSET (UTF-8 US-ASCII)] Bad charset\r\n");
  EXPECT_EQ(untagged_status(Condition::ok, code_capability({"IMAP4rev2", "IMAP4rev1", "IDLE"}), "ready"),
            "* OK [CAPABILITY IMAP4rev2 IMAP4rev1 IDLE] ready\r\n");
  EXPECT_EQ(untagged_status(Condition::bye, "", "Server shutting down"), "* BYE Server shutting down\r\n");
  EXPECT_EQ(tagged("x", Condition::bad, "", ""), "x BAD done\r\n");
  EXPECT_EQ(continuation(), "+ Ready\r\n");
  EXPECT_EQ(continuation_challenge(""), "+ \r\n");
  EXPECT_EQ(continuation_challenge("abc"), "+ YWJj\r\n");
}

TEST(Response, DataResponses) {
  EXPECT_EQ(capability_response({"IMAP4rev1", "STARTTLS"}), "* CAPABILITY IMAP4rev1 STARTTLS\r\n");
  EXPECT_EQ(enabled_response({"CONDSTORE"}), "* ENABLED CONDSTORE\r\n");
  EXPECT_EQ(flags_response({"\\Answered", "\\Flagged"}), "* FLAGS (\\Answered \\Flagged)\r\n");
  EXPECT_EQ(exists_response(172), "* 172 EXISTS\r\n");
  EXPECT_EQ(expunge_response(3), "* 3 EXPUNGE\r\n");
  EXPECT_EQ(search_response({2, 84, 882}), "* SEARCH 2 84 882\r\n");
  EXPECT_EQ(search_response({}), "* SEARCH\r\n");
  EXPECT_EQ(search_response({2, 5}, 917162500), "* SEARCH 2 5 (MODSEQ 917162500)\r\n");
  EsearchResult r;
  r.min = 2;
  r.count = 3;
  EXPECT_EQ(esearch_response("A282", false, r), "* ESEARCH (TAG \"A282\") MIN 2 COUNT 3\r\n");
  EsearchResult all;
  all.all = "1:3,5";
  EXPECT_EQ(esearch_response("A283", true, all), "* ESEARCH (TAG \"A283\") UID ALL 1:3,5\r\n");
  EXPECT_EQ(esearch_response("A284", false, EsearchResult{}), "* ESEARCH (TAG \"A284\")\r\n");
}

TEST(Response, ListAndStatus) {
  ListEntry e;
  e.attributes = {"\\HasNoChildren", "\\Sent"};
  e.name = "Gesendete Objekte";
  EXPECT_EQ(list_response(e, false), "* LIST (\\HasNoChildren \\Sent) \"/\" \"Gesendete Objekte\"\r\n");
  ListEntry p;
  p.name = "Foo";
  p.childinfo_subscribed = true;
  EXPECT_EQ(list_response(p, false), "* LIST () \"/\" Foo (\"CHILDINFO\" (\"SUBSCRIBED\"))\r\n");
  p.childinfo_subscribed = false;
  p.old_name = "Bar";
  EXPECT_EQ(list_response(p, false, true), "* LSUB () \"/\" Foo (\"OLDNAME\" (Bar))\r\n");
  EXPECT_EQ(status_response("blurdybloop", {{StatusItem::messages, 231}, {StatusItem::uidnext, 44292}}, false),
            "* STATUS blurdybloop (MESSAGES 231 UIDNEXT 44292)\r\n");
  EXPECT_EQ(vanished_response("41,43:116", true), "* VANISHED (EARLIER) 41,43:116\r\n");
  EXPECT_EQ(vanished_response("405", false), "* VANISHED 405\r\n");
  EXPECT_EQ(namespace_response(""), "* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
  EXPECT_EQ(id_response(std::nullopt), "* ID NIL\r\n");
  EXPECT_EQ(id_response(std::vector<std::pair<std::string, std::string>>{{"name", "claret"}}),
            "* ID (\"name\" \"claret\")\r\n");
  EXPECT_EQ(quota_response("", {{"STORAGE", 10, 512}}), "* QUOTA \"\" (STORAGE 10 512)\r\n");
  EXPECT_EQ(quotaroot_response("INBOX", {""}, false), "* QUOTAROOT INBOX \"\"\r\n");
}

TEST(Response, SortAndThread) {
  EXPECT_EQ(sort_response({2, 84, 882}), "* SORT 2 84 882\r\n");
  EXPECT_EQ(sort_response({}, 5), "* SORT\r\n");
  // RFC 5256 §4 example: (2)(3 6 (4 23)(44 7 96))
  ThreadNode two{2, {}};
  ThreadNode three{3, {ThreadNode{6, {ThreadNode{4, {ThreadNode{23, {}}}}, ThreadNode{44, {ThreadNode{7, {ThreadNode{96, {}}}}}}}}}};
  EXPECT_EQ(thread_response({two, three}), "* THREAD (2)(3 6 (4 23)(44 7 96))\r\n");
  // A dummy parent: ((3)(5))
  ThreadNode dummy{0, {ThreadNode{3, {}}, ThreadNode{5, {}}}};
  EXPECT_EQ(thread_response({dummy}), "* THREAD ((3)(5))\r\n");
  EXPECT_EQ(thread_response({}), "* THREAD\r\n");
  // A long reply chain is flat and does not recurse.
  ThreadNode chain{1, {}};
  ThreadNode* tail = &chain;
  for (std::uint32_t i = 2; i <= 2000; ++i) {
    tail->children.push_back(ThreadNode{i, {}});
    tail = &tail->children.back();
  }
  std::string t = thread_response({chain});
  EXPECT_EQ(t.substr(0, 15), "* THREAD (1 2 3");
  EXPECT_EQ(t.substr(t.size() - 8), " 2000)\r\n");
}

TEST(Response, DateTime) {
  std::string out;
  append_date_time(out, from_unix(837596665, -420));
  EXPECT_EQ(out, "\"17-Jul-1996 02:44:25 -0700\"");
}

}  // namespace
}  // namespace claret::imap::proto
