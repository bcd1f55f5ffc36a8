// Checks the typed values produced by the IMAP argument parsers (mailbox, message, session, append, sort).
#include <gtest/gtest.h>

#include "imap/proto/command.hpp"
#include "imap/proto/test_support.hpp"

namespace claret::imap::proto {
namespace {

using testing::args_of;
using namespace std::string_literals;

TEST(Args, SelectWithQresync) {
  auto a = args_of<SelectArgs>(
      "SELECT inbox (CONDSTORE QRESYNC (67890007 90060115194045000 41:211,214:541 (5000,7500 15000,22500)))");
  EXPECT_EQ(a.mailbox, "INBOX");
  EXPECT_TRUE(a.condstore);
  ASSERT_TRUE(a.qresync);
  EXPECT_EQ(a.qresync->uidvalidity, 67890007u);
  EXPECT_EQ(a.qresync->modseq, 90060115194045000ull);
  ASSERT_TRUE(a.qresync->known_uids);
  EXPECT_EQ(a.qresync->known_uids->to_string(), "41:211,214:541");
  ASSERT_TRUE(a.qresync->known_sequence_set);
  EXPECT_EQ(a.qresync->known_sequence_set->to_string(), "5000,7500");
  EXPECT_EQ(a.qresync->known_uid_set->to_string(), "15000,22500");
}

TEST(Args, AppendUtf8) {
  auto a = args_of<AppendArgs>("APPEND INBOX UTF8 (~{3}\r\nab\xc3)");
  ASSERT_EQ(a.messages.size(), 1u);
  EXPECT_TRUE(a.messages[0].utf8);
  EXPECT_EQ(a.messages[0].data, "ab\xc3");
}

TEST(Args, MailboxNamesAreDecoded) {
  auto a = args_of<MailboxArgs>("DELETE \"~peter/mail/&U,BTFw-/&ZeVnLIqe-\"");
  EXPECT_EQ(a.mailbox, "~peter/mail/\xe5\x8f\xb0\xe5\x8c\x97/\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e");
  ParseOptions utf8;
  utf8.utf8_accept = true;
  auto b = args_of<RenameArgs>("RENAME \"Entw\xc3\xbcrfe\" {6}\r\nA&B/cd", utf8);
  EXPECT_EQ(b.from, "Entw\xc3\xbcrfe");
  EXPECT_EQ(b.to, "A&B/cd");
}

TEST(Args, CreateSpecialUse) {
  auto a = args_of<CreateArgs>("CREATE MySpecial (USE (\\drafts \\SENT \\X-Custom))");
  EXPECT_EQ(a.special_use, (std::vector<std::string>{"\\Drafts", "\\Sent", "\\X-Custom"}));
}

TEST(Args, ListExtended) {
  auto a = args_of<ListArgs>(
      "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Sent/%\") RETURN (CHILDREN STATUS (MESSAGES UIDNEXT))");
  EXPECT_TRUE(a.extended);
  EXPECT_TRUE(a.select_subscribed);
  EXPECT_TRUE(a.select_recursive_match);
  EXPECT_EQ(a.patterns, (std::vector<std::string>{"INBOX", "Sent/%"}));
  EXPECT_TRUE(a.return_children);
  ASSERT_TRUE(a.return_status);
  EXPECT_EQ(*a.return_status, (std::vector<StatusItem>{StatusItem::messages, StatusItem::uidnext}));
  auto b = args_of<ListArgs>("LIST ~/Mail/ %");
  EXPECT_FALSE(b.extended);
  EXPECT_EQ(b.reference, "~/Mail/");
  auto l = args_of<ListArgs>("LSUB \"#news.\" \"comp.mail.*\"");
  EXPECT_TRUE(l.lsub);
  EXPECT_EQ(l.patterns.front(), "comp.mail.*");
}

TEST(Args, Status) {
  auto a = args_of<StatusArgs>("STATUS blurdybloop (UIDNEXT messages SIZE HIGHESTMODSEQ)");
  EXPECT_EQ(a.items, (std::vector<StatusItem>{StatusItem::uidnext, StatusItem::messages, StatusItem::size,
                                              StatusItem::highestmodseq}));
}

TEST(Args, AppendMultiAndCatenate) {
  auto a = args_of<AppendArgs>(
      "APPEND saved (\\seen) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello ~{3}\r\na\0c"s);
  ASSERT_EQ(a.messages.size(), 2u);
  EXPECT_EQ(a.messages[0].flags, (std::vector<std::string>{"\\Seen"}));
  ASSERT_TRUE(a.messages[0].internal_date);
  EXPECT_EQ(a.messages[0].internal_date->date.year, 1996);
  EXPECT_EQ(a.messages[0].data, "hello");
  EXPECT_FALSE(a.messages[0].binary);
  EXPECT_TRUE(a.messages[1].binary);
  EXPECT_EQ(a.messages[1].data, "a\0c"s);
  auto n = args_of<AppendArgs>("APPEND saved {3}\r\na\0c"s);  // NUL in a plain literal (real messages have it)
  EXPECT_EQ(n.messages[0].data, "a\0c"s);
  auto c = args_of<AppendArgs>("APPEND Drafts CATENATE (URL \"/Drafts;UID=20\" TEXT {2}\r\nab)");
  ASSERT_TRUE(c.messages[0].catenate);
  ASSERT_EQ(c.messages[0].catenate->size(), 2u);
  EXPECT_EQ((*c.messages[0].catenate)[0].kind, CatenatePart::Kind::url);
  EXPECT_EQ((*c.messages[0].catenate)[0].data, "/Drafts;UID=20");
  EXPECT_EQ((*c.messages[0].catenate)[1].data, "ab");
}

TEST(Args, StoreCopyExpunge) {
  auto s = args_of<StoreArgs>("STORE 7,5,9 (UNCHANGEDSINCE 320162338) -FLAGS.SILENT (\\deleted $Junk)");
  EXPECT_EQ(s.set.to_string(), "7,5,9");
  EXPECT_EQ(s.unchanged_since, std::optional<std::uint64_t>(320162338));
  EXPECT_EQ(s.op, StoreArgs::Op::remove);
  EXPECT_TRUE(s.silent);
  EXPECT_EQ(s.flags, (std::vector<std::string>{"\\Deleted", "$Junk"}));
  auto c = args_of<CopyArgs>("UID MOVE 1:* \"Junk\"");
  EXPECT_EQ(c.mailbox, "Junk");
  EXPECT_TRUE(c.set.uses_star());
  auto e = args_of<UidExpungeArgs>("UID EXPUNGE 3000:3002");
  EXPECT_EQ(e.uids.to_string(), "3000:3002");
}

TEST(Args, SortAndThread) {
  auto s = args_of<SortArgs>("UID SORT RETURN (COUNT) (REVERSE ARRIVAL displayfrom) utf-8 UNSEEN SINCE 1-Feb-1994");
  EXPECT_TRUE(s.ret.esearch);
  EXPECT_TRUE(s.ret.count);
  EXPECT_FALSE(s.ret.all);
  EXPECT_EQ(s.criteria, (std::vector<SortCriterion>{{SortCriterion::Key::arrival, true},
                                                    {SortCriterion::Key::display_from, false}}));
  EXPECT_EQ(s.charset, "UTF-8");
  EXPECT_EQ(s.key.kind, SearchKey::Kind::and_);
  EXPECT_EQ(s.key.children.size(), 2u);
  auto t = args_of<ThreadArgs>("THREAD ORDEREDSUBJECT UTF-8 ALL");
  EXPECT_EQ(t.algorithm, ThreadArgs::Algorithm::ordered_subject);
  EXPECT_EQ(t.key.kind, SearchKey::Kind::all);
}

TEST(Args, Session) {
  auto a = args_of<AuthenticateArgs>("AUTHENTICATE plain AGFsaWNlAHNlY3JldA==");
  EXPECT_EQ(a.mechanism, "PLAIN");
  EXPECT_EQ(a.initial_response, std::optional<std::string>("\0alice\0secret"s));
  auto e = args_of<AuthenticateArgs>("AUTHENTICATE PLAIN =");
  EXPECT_EQ(e.initial_response, std::optional<std::string>(""));
  EXPECT_FALSE(args_of<AuthenticateArgs>("AUTHENTICATE SCRAM-SHA-256").initial_response);
  auto l = args_of<LoginArgs>("LOGIN \"al\\\"ice\" {3}\r\np w");
  EXPECT_EQ(l.user, "al\"ice");
  EXPECT_EQ(l.password, "p w");
  EXPECT_EQ(args_of<EnableArgs>("ENABLE condstore utf8=accept").capabilities,
            (std::vector<std::string>{"CONDSTORE", "UTF8=ACCEPT"}));
  auto id = args_of<IdArgs>("ID (\"name\" \"sodr\" \"vendor\" NIL)");
  ASSERT_TRUE(id.params);
  ASSERT_EQ(id.params->size(), 2u);
  EXPECT_EQ((*id.params)[1].first, "vendor");
  EXPECT_FALSE((*id.params)[1].second);
  EXPECT_FALSE(args_of<IdArgs>("ID NIL").params);
  auto q = args_of<SetQuotaArgs>("SETQUOTA \"\" (storage 512 MESSAGE 1000)");
  EXPECT_EQ(q.limits, (std::vector<std::pair<std::string, std::uint64_t>>{{"STORAGE", 512}, {"MESSAGE", 1000}}));
  EXPECT_EQ(args_of<CompressArgs>("COMPRESS deflate").algorithm, "DEFLATE");
  EXPECT_EQ(args_of<MailboxArgs>("GETQUOTAROOT inbox").mailbox, "INBOX");
}

TEST(Args, Notify) {
  auto n = args_of<NotifyArgs>(
      "NOTIFY SET STATUS (selected (MessageNew (UID BODY.PEEK[HEADER.FIELDS (FROM)]) messageexpunge)) "
      "(subtree (Lists \"&AOk-t\") (MailboxName))");
  EXPECT_FALSE(n.none);
  EXPECT_TRUE(n.status);
  ASSERT_EQ(n.groups.size(), 2u);
  EXPECT_EQ(n.groups[0].filter, NotifyEventGroup::Filter::selected);
  EXPECT_EQ(n.groups[0].events, (std::vector<std::string>{"MessageNew", "MessageExpunge"}));
  ASSERT_EQ(n.groups[0].message_new_fetch.size(), 2u);
  EXPECT_EQ(n.groups[0].message_new_fetch[1].response_name(), "BODY[HEADER.FIELDS (FROM)]");
  EXPECT_EQ(n.groups[1].filter, NotifyEventGroup::Filter::subtree);
  EXPECT_EQ(n.groups[1].mailboxes, (std::vector<std::string>{"Lists", "\xc3\xa9t"}));
  EXPECT_EQ(n.groups[1].events, (std::vector<std::string>{"MailboxName"}));
  EXPECT_TRUE(args_of<NotifyArgs>("NOTIFY NONE").none);
}

TEST(Args, IdLimits) {
  std::string many = "ID (";
  for (int i = 0; i < 31; ++i) many += (i ? " " : "") + std::string("\"f") + std::to_string(i) + "\" \"v\"";
  many += ")";
  EXPECT_FALSE(testing::parse_line(many));
  EXPECT_FALSE(testing::parse_line("ID (\"" + std::string(31, 'f') + "\" NIL)"));
}

TEST(Args, AuthResponse) {
  EXPECT_TRUE(parse_auth_response("*")->cancel);
  EXPECT_EQ(parse_auth_response("AGFsaWNlAHNlY3JldA==")->data, "\0alice\0secret"s);
  EXPECT_EQ(parse_auth_response("")->data, "");
  EXPECT_FALSE(parse_auth_response("no good"));
}

}  // namespace
}  // namespace claret::imap::proto
