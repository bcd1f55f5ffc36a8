// Table-driven grammar tests for every IMAP command (RFC 9051 §6 and the extensions in commands.hpp): each line
// goes through the receiver and parse_command; good lines must parse, bad ones must fail without crashing.
#include "imap/proto/command.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "imap/proto/test_support.hpp"

namespace claret::imap::proto {
namespace {

using testing::parse_line;

struct Case {
  const char* line;
  bool ok;
};

void check(std::initializer_list<Case> cases) {
  for (const auto& c : cases) {
    auto r = parse_line(c.line);
    EXPECT_EQ(static_cast<bool>(r), c.ok) << c.line << (r ? "" : " → " + r.error().message);
  }
}

TEST(CommandGrammar, AnyState) {
  check({{"CAPABILITY", true}, {"capability", true}, {"NOOP", true}, {"LOGOUT", true}, {"NOOP x", false},
         {"CAPABILITY ", true} /* a lone SP after the name is tolerated */, {"FROB", false}, {"UID FROB 1", false}});
}

TEST(CommandGrammar, NotAuthenticated) {
  check({{"STARTTLS", true},
         {"STARTTLS now", false},
         {"LOGIN alice secret", true},
         {"LOGIN \"alice\" {6}\r\nsecret", true},
         {"LOGIN alice", false},
         {"LOGIN alice secret extra", false},
         {"LOGIN (alice) x", false},
         {"AUTHENTICATE PLAIN", true},
         {"AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==", true},
         {"AUTHENTICATE PLAIN =", true},
         {"AUTHENTICATE PLAIN not*base64", false},
         {"AUTHENTICATE PLAIN AGFsaWNl=AHNl", false},
         {"AUTHENTICATE", false}});
}

TEST(CommandGrammar, Authenticated) {
  check({{"ENABLE IMAP4rev2", true},
         {"ENABLE CONDSTORE QRESYNC UTF8=ACCEPT", true},
         {"ENABLE", false},
         {"SELECT INBOX", true},
         {"SELECT \"INBOX\"", true},
         {"SELECT INBOX (CONDSTORE)", true},
         {"SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))", true},
         {"SELECT INBOX (QRESYNC (67890007 90060115194045000 1:29997 (5000,7500,9000,9990:9999 15000,22500,27000,29970,29973,29976,29979,29982,29985,29988,29991,29994,29997)))", true},
         {"SELECT INBOX (QRESYNC (67890007 90060115194045000 (1:5 1:5)))", true},
         {"SELECT INBOX (QRESYNC (0 1))", false},
         {"SELECT INBOX (FOO)", false},
         {"SELECT INBOX ()", false},
         {"SELECT", false},
         {"SELECT &Jjo!-", false},
         {"EXAMINE blurdybloop", true},
         {"CREATE owatagusiam/", true},
         {"CREATE MySpecial (USE (\\Drafts \\Sent))", true},
         {"CREATE MySpecial (USE ())", true},
         {"CREATE MySpecial (USE (Drafts))", false},
         {"CREATE MySpecial (FOO (\\Drafts))", false},
         {"DELETE blurdybloop", true},
         {"DELETE", false},
         {"RENAME blurdybloop sarasoop", true},
         {"RENAME blurdybloop", false},
         {"SUBSCRIBE #news.comp.mail.mime", true},
         {"UNSUBSCRIBE #news.comp.mail.mime", true},
         {"LIST \"\" \"\"", true},
         {"LIST /usr/staff/jones \"\"", true},
         {"LIST ~/Mail/ %", true},
         {"LIST \"\" *", true},
         {"LIST \"\" %/%", true},
         {"LIST (SUBSCRIBED) \"\" \"*\"", true},
         {"LIST (SUBSCRIBED RECURSIVEMATCH) \"\" \"%\"", true},
         {"LIST (RECURSIVEMATCH) \"\" \"%\"", false},
         {"LIST (REMOTE RECURSIVEMATCH) \"\" \"%\"", false},
         {"LIST (RECURSIVEMATCH SPECIAL-USE) \"\" \"%\"", true},
         {"LIST () \"\" \"%\"", true},
         {"LIST \"\" (\"INBOX\" \"Drafts\" \"Sent/%\")", true},
         {"LIST \"\" % RETURN (CHILDREN)", true},
         {"LIST \"\" % RETURN (STATUS (MESSAGES UNSEEN))", true},
         {"LIST (SPECIAL-USE) \"\" * RETURN (SPECIAL-USE STATUS (MESSAGES))", true},
         {"LIST \"\" % RETURN ()", true},
         {"LIST \"\" % RETURN (FOO)", false},
         {"LIST \"\" % CHILDREN", false},
         {"LIST \"\"", false},
         {"LSUB \"#news.\" \"comp.mail.*\"", true},
         {"LSUB \"\" %", true},
         {"NAMESPACE", true},
         {"STATUS blurdybloop (UIDNEXT MESSAGES)", true},
         {"STATUS blurdybloop (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE RECENT HIGHESTMODSEQ APPENDLIMIT MAILBOXID DELETED-STORAGE)", true},
         {"STATUS blurdybloop ()", false},
         {"STATUS blurdybloop (FOO)", false},
         {"STATUS blurdybloop", false},
         {"IDLE", true},
         {"IDLE now", false},
         {"GETQUOTA \"\"", true},
         {"GETQUOTAROOT INBOX", true},
         {"SETQUOTA \"\" (STORAGE 512)", true},
         {"SETQUOTA \"\" (STORAGE 512 MESSAGE 1000)", true},
         {"SETQUOTA \"\" ()", true},
         {"SETQUOTA \"\" (STORAGE)", false},
         {"COMPRESS DEFLATE", true},
         {"COMPRESS", false},
         {"ID (\"name\" \"sodr\" \"version\" \"19.34\" \"vendor\" NIL)", true},
         {"ID NIL", true},
         {"ID ()", true},
         {"ID (\"name\")", false},
         {"ID", false}});
}

TEST(CommandGrammar, Append) {
  check({{"APPEND saved-messages (\\Seen) {3}\r\nabc", true},
         {"APPEND saved-messages {3}\r\nabc", true},
         {"APPEND saved-messages \"17-Jul-1996 02:44:25 -0700\" {3}\r\nabc", true},
         {"APPEND saved-messages (\\Seen $Forwarded) \" 7-Feb-1994 21:52:25 -0800\" {3+}\r\nabc", true},
         {"APPEND saved-messages () {3}\r\nabc", true},
         {"APPEND saved-messages ~{3}\r\nabc", true},
         {"APPEND saved-messages (\\Seen) {3}\r\nabc (\\Draft) {2}\r\nxy {1}\r\nz", true},  // MULTIAPPEND
         {"APPEND INBOX UTF8 (~{3}\r\nabc)", true},  // RFC 6855 §4
         {"APPEND INBOX (\\Seen) UTF8 (~{3}\r\nabc)", true},
         {"APPEND INBOX UTF8 ({3}\r\nabc)", false},
         {"APPEND INBOX UTF8 ~{3}\r\nabc", false},
         {"APPEND Drafts CATENATE (URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER\" TEXT {4}\r\n\r\n\r\n URL \"/a\")", true},
         {"APPEND Drafts (\\Seen) CATENATE (TEXT {2}\r\nab)", true},
         {"APPEND Drafts CATENATE ()", false},
         {"APPEND Drafts CATENATE (TEXT \"ab\")", false},
         {"APPEND saved-messages \"abc\"", false},
         {"APPEND saved-messages (\\Recent) {3}\r\nabc", false},
         {"APPEND saved-messages", false},
         {"APPEND saved-messages {3}\r\nabc extra", false},
         {"APPEND saved-messages \"32-Jul-1996 02:44:25 -0700\" {3}\r\nabc", false}});
}

TEST(CommandGrammar, Selected) {
  check({{"CHECK", true},
         {"CLOSE", true},
         {"UNSELECT", true},
         {"EXPUNGE", true},
         {"EXPUNGE 1", false},
         {"UID EXPUNGE 3000:3002", true},
         {"UID EXPUNGE", false},
         {"COPY 2:4 MEETING", true},
         {"UID COPY 1:* Trash", true},
         {"COPY $ Archive", true},
         {"COPY 0 MEETING", false},
         {"COPY 2:4", false},
         {"MOVE 1:3 Archive", true},
         {"UID MOVE 42 \"Junk\"", true},
         {"STORE 2:4 +FLAGS (\\Deleted)", true},
         {"STORE 2:4 -FLAGS.SILENT (\\Deleted $Junk)", true},
         {"STORE 2:4 FLAGS ()", true},
         {"STORE 2:4 +FLAGS \\Deleted \\Seen", true},
         {"STORE 7,5,9 (UNCHANGEDSINCE 320162338) +FLAGS.SILENT (\\Deleted)", true},
         {"UID STORE 1:* FLAGS.SILENT (\\Seen)", true},
         {"STORE 2:4 +FLAGS (\\Recent)", false},
         {"STORE 2:4 *FLAGS (\\Seen)", false},
         {"STORE 2:4 +FLAGS", false},
         {"STORE 2:4 (FOO 1) +FLAGS (\\Seen)", false},
         {"STORE 2:4 +FLAGS (\\Seen", false},
         {"SEARCH FLAGGED SINCE 1-Feb-1994 NOT FROM \"Smith\"", true},
         {"SEARCH TEXT \"string not in mailbox\"", true},
         {"SEARCH CHARSET UTF-8 TEXT {12}\r\n\xe6\x97\xa5\xe6\x9c\xac\xe8\xaa\x9e\xe3\x81\xa7", true},
         {"SEARCH CHARSET KOI8-R TEXT x", false},
         {"SEARCH RETURN (MIN COUNT) FLAGGED", true},
         {"SEARCH RETURN () UNSEEN", true},
         {"SEARCH RETURN (SAVE) UNSEEN", true},
         {"SEARCH $", true},
         {"SEARCH OR SEEN FLAGGED", true},
         {"SEARCH OR (SEEN FLAGGED) NOT (DELETED)", true},
         {"SEARCH MODSEQ 620162338", true},
         {"SEARCH MODSEQ \"/flags/\\\\draft\" all 620162338", true},
         {"SEARCH HEADER Message-ID <a@b>", true},
         {"SEARCH UID 1:*,5 LARGER 1000 SMALLER 20000", true},
         {"SEARCH 1:5,7 UNKEYWORD $Junk", true},
         {"SEARCH SAVEDBEFORE 1-Jan-2026 SAVEDATESUPPORTED", true},
         {"SEARCH EMAILID M6d99ac3275bb4e THREADID T64b478a75b7ea9", true},
         {"SEARCH", false},
         {"SEARCH FOO", false},
         {"SEARCH OR SEEN", false},
         {"SEARCH NOT", false},
         {"SEARCH ()", false},
         {"SEARCH (SEEN", false},
         {"SEARCH SINCE 31-Feb-2020", false},
         {"SEARCH LARGER x", false},
         {"SEARCH RETURN (FOO) ALL", false},
         {"FETCH 2:4 (FLAGS BODY[HEADER.FIELDS (DATE FROM)])", true},
         {"FETCH 1 ALL", true},
         {"FETCH 1 FAST", true},
         {"FETCH 1 FULL", true},
         {"FETCH 1 (ALL)", false},
         {"FETCH 1 BODY[]", true},
         {"FETCH 1 BODY.PEEK[1.2.HEADER]<0.1024>", true},
         {"FETCH 1 BODY[1.2.MIME]", true},
         {"FETCH 1 BODY[MIME]", false},
         {"FETCH 1 BODY[1.]", false},
         {"FETCH 1 BODY[0]", false},
         {"FETCH 1 BODY[TEXT]<0.0>", false},
         {"FETCH 1 BODY[TEXT]<5000000000.5000000000>", true},  // number64 partials (RFC 9051)
         {"FETCH 1 BODY.PEEK", false},
         {"FETCH 1 BINARY[1.2]<10.20>", true},
         {"FETCH 1 BINARY.PEEK[]", true},
         {"FETCH 1 BINARY.SIZE[3]", true},
         {"FETCH 1 BINARY[1.TEXT]", false},
         {"FETCH 1:* (FLAGS) (CHANGEDSINCE 12345)", true},
         {"UID FETCH 300:500 (FLAGS) (CHANGEDSINCE 12345 VANISHED)", true},
         {"FETCH 1:* (FLAGS) (CHANGEDSINCE 12345 VANISHED)", false},
         {"UID FETCH 1:* (FLAGS) (VANISHED)", false},
         {"FETCH 1 (UID MODSEQ SAVEDATE EMAILID THREADID PREVIEW)", true},
         {"FETCH 1 (PREVIEW (LAZY))", true},
         {"FETCH 1 (ENVELOPE RFC822 RFC822.HEADER RFC822.SIZE RFC822.TEXT BODY BODYSTRUCTURE INTERNALDATE)", true},
         {"FETCH 1 (FOO)", false},
         {"FETCH 1 ()", false},
         {"FETCH 1", false},
         {"FETCH * FLAGS", true},
         {"UID FETCH 1:* (UID FLAGS)", true},
         {"SORT (SUBJECT) UTF-8 SINCE 1-Feb-1994", true},
         {"SORT (REVERSE DATE DISPLAYFROM) US-ASCII ALL", true},
         {"UID SORT RETURN (MIN MAX) (ARRIVAL) UTF-8 UNSEEN", true},
         {"SORT () UTF-8 ALL", false},
         {"SORT (FOO) UTF-8 ALL", false},
         {"SORT (SUBJECT) ALL", false},
         {"THREAD ORDEREDSUBJECT UTF-8 SINCE 5-MAR-2000", true},
         {"UID THREAD REFERENCES US-ASCII TEXT \"gewp\"", true},
         {"THREAD FOO UTF-8 ALL", false},
         {"THREAD REFERENCES UTF-8", false}});
}

TEST(CommandGrammar, Notify) {
  // RFC 5465 §6 examples and variations.
  check({{"NOTIFY NONE", true},
         {"NOTIFY SET STATUS (selected MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge) "
          "(subtree Lists MessageNew MessageExpunge)", false},  // events need parentheses
         {"NOTIFY SET STATUS (selected (MessageNew (uid body.peek[header.fields (from to subject)]) MessageExpunge)) "
          "(subtree Lists (MessageNew MessageExpunge))", true},
         {"NOTIFY SET (selected (MessageExpunge MessageNew FlagChange)) (mailboxes (INBOX \"Other\") NONE) "
          "(personal (MailboxName SubscriptionChange)) (inboxes (QuotaChange))", true},
         {"NOTIFY SET (selected-delayed (MessageNew MessageExpunge))", true},
         {"NOTIFY SET (selected (MessageNew))", false},           // MessageExpunge missing
         {"NOTIFY SET (selected (FlagChange))", false},           // needs MessageNew and MessageExpunge
         {"NOTIFY SET (everything (MessageNew MessageExpunge))", false},
         {"NOTIFY SET (selected (Bogus))", true},                // event-ext: the server says BADEVENT
         {"NOTIFY SET (selected (\"Bogus\"))", false},
         {"NOTIFY SET", false},
         {"NOTIFY", false}});
}

TEST(CommandGrammar, BadCharsetIsReportedAsSuch) {
  auto r = parse_line("SEARCH CHARSET ISO-2022-JP ALL");
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, static_cast<int>(ParseErrc::bad_charset));
}

TEST(CommandGrammar, DeepSearchNestingIsALimit) {
  ParseOptions opt;
  opt.limits.max_search_depth = 10;
  std::string line = "SEARCH";
  for (int i = 0; i < 20; ++i) line += " NOT";
  line += " ALL";
  auto r = parse_line(line, opt);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, static_cast<int>(ParseErrc::limit));
  std::string ors = "SEARCH";
  for (int i = 0; i < 9; ++i) ors += " OR SEEN";
  ors += " ALL";
  EXPECT_TRUE(parse_line(ors, opt));
}

TEST(CommandGrammar, HundredThousandElementSequenceSet) {
  std::string set;
  for (int i = 1; i <= 100000; ++i) set += (i > 1 ? "," : "") + std::to_string(i * 3);
  // Over the default line limit the receiver refuses it before any parsing…
  EXPECT_FALSE(parse_line("UID FETCH " + set + " (FLAGS)"));
  // …and with a line limit that allows it, it parses quickly into 100,000 ranges of 8 bytes.
  ParseOptions opt;
  opt.limits.max_line = 1024 * 1024;
  auto start = std::chrono::steady_clock::now();
  auto r = parse_line("UID FETCH " + set + " (FLAGS)", opt);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
  ASSERT_TRUE(r);
  EXPECT_EQ(std::get<FetchArgs>(r->args).set.ranges().size(), 100000u);
  EXPECT_LT(ms, 3000);
  opt.limits.max_sequence_ranges = 99999;
  auto over = parse_line("UID FETCH " + set + " (FLAGS)", opt);
  ASSERT_FALSE(over);
  EXPECT_EQ(over.error().code, static_cast<int>(ParseErrc::limit));
}

TEST(CommandGrammar, CommandInfoIsAttached) {
  auto r = parse_line("uid fetch 1 FLAGS");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->tag, "t");
  EXPECT_EQ(r->info->id, CommandId::uid_fetch);
}

}  // namespace
}  // namespace claret::imap::proto
