// Client sides of RFC examples and of typical Thunderbird/Outlook sessions, run through the receiver and the
// argument parsers at every chunk size; plus mutated command lines that must never crash a parser.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "imap/proto/command.hpp"
#include "imap/proto/test_support.hpp"

namespace claret::imap::proto {
namespace {

struct Outcome {
  std::vector<std::string> names;  // command names, "line" for raw lines
  int continuations = 0;
  int errors = 0;
};

// Plays the server side as far as framing goes: continuation after each accepted literal, expect_line after
// AUTHENTICATE without initial response and after IDLE.
Outcome play(const std::string& script, std::size_t chunk) {
  Receiver r;
  ParseOptions opt;
  Outcome out;
  for (std::size_t pos = 0; pos < script.size(); pos += chunk) {
    r.feed(std::string_view(script).substr(pos, chunk));
    for (int guard = 0; guard < 10000; ++guard) {
      Event ev = r.next();
      if (ev.kind == Event::Kind::need_more) break;
      if (ev.kind == Event::Kind::literal) {
        EXPECT_TRUE(ev.literal.accepted);
        ++out.continuations;
      } else if (ev.kind == Event::Kind::line) {
        out.names.push_back("line:" + ev.line);
      } else if (ev.kind == Event::Kind::error) {
        ++out.errors;
      } else if (ev.kind == Event::Kind::command) {
        auto cmd = parse_command(ev.command, opt);
        EXPECT_TRUE(cmd) << ev.command.name << " " << ev.command.args << ": " << (cmd ? "" : cmd.error().message);
        out.names.push_back(ev.command.name);
        if (!cmd) continue;
        if (cmd->info->id == CommandId::idle) r.expect_line();
        if (cmd->info->id == CommandId::authenticate &&
            !std::get<AuthenticateArgs>(cmd->args).initial_response)
          r.expect_line();
      }
    }
  }
  return out;
}

void expect_same_at_every_chunk_size(const std::string& script, const std::vector<std::string>& names,
                                     int continuations) {
  for (std::size_t chunk : {script.size(), std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7},
                            std::size_t{64}}) {
    Outcome o = play(script, chunk);
    EXPECT_EQ(o.names, names) << "chunk " << chunk;
    EXPECT_EQ(o.continuations, continuations) << "chunk " << chunk;
    EXPECT_EQ(o.errors, 0) << "chunk " << chunk;
  }
}

TEST(Transcript, Rfc9051SampleSession) {
  // RFC 9051 §8.
  expect_same_at_every_chunk_size(
      "a001 login mrc secret\r\n"
      "a002 select inbox\r\n"
      "a003 fetch 12 full\r\n"
      "a004 fetch 12 body[header]\r\n"
      "a005 store 12 +flags \\deleted\r\n"
      "a006 logout\r\n",
      {"LOGIN", "SELECT", "FETCH", "FETCH", "STORE", "LOGOUT"}, 0);
}

TEST(Transcript, Rfc7888LiteralPlusAndRfc3502MultiAppend) {
  expect_same_at_every_chunk_size(
      "A001 LOGIN {11+}\r\nFRED FOOBAR {7+}\r\nfat man\r\n"
      "A003 APPEND saved-messages (\\Seen) {23}\r\nDate: x\r\nSubject: y\r\n\r\n"
      " (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {9}\r\nhi there\n\r\n",
      {"LOGIN", "APPEND"}, 2);
}

TEST(Transcript, Rfc4469Catenate) {
  std::string text1 = "\r\n--------------030308070208000400050907\r\n";  // 42 bytes as in the RFC
  ASSERT_EQ(text1.size(), 42u);
  expect_same_at_every_chunk_size(
      "A003 APPEND Drafts (\\Seen \\Draft $MDNSent) CATENATE (URL "
      "\"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=HEADER\" TEXT {42}\r\n" +
          text1 +
          " URL \"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1.MIME\" URL "
          "\"/Drafts;UIDVALIDITY=385759045/;UID=20/;section=1\" TEXT {42}\r\n" +
          text1 + " URL \"/Drafts;UIDVALIDITY=385759045/;UID=30\" TEXT {2}\r\n--)\r\n",
      {"APPEND"}, 3);
}

TEST(Transcript, ThunderbirdLikeSession) {
  expect_same_at_every_chunk_size(
      "1 capability\r\n"
      "2 authenticate PLAIN\r\n"
      "AGFsaWNlAHNlY3JldA==\r\n"
      "3 ID (\"name\" \"Thunderbird\" \"version\" \"115.0\")\r\n"
      "4 select \"INBOX\" (CONDSTORE)\r\n"
      "5 getquotaroot \"INBOX\"\r\n"
      "6 UID fetch 1:* (FLAGS)\r\n"
      "7 IDLE\r\n"
      "DONE\r\n"
      "8 UID fetch 43 (UID RFC822.SIZE FLAGS BODY.PEEK[HEADER.FIELDS (From To Cc Bcc Subject Date Message-ID "
      "Priority X-Priority References Newsgroups In-Reply-To Content-Type Reply-To)])\r\n"
      "9 UID store 43 +Flags (\\Seen)\r\n"
      "10 list (SUBSCRIBED) \"\" \"*\" RETURN (SPECIAL-USE)\r\n"
      "11 UID fetch 43 (UID RFC822.SIZE BODY.PEEK[]<0.32768>)\r\n"
      "12 UID COPY 43 \"Trash\"\r\n"
      "13 UID MOVE 44 \"Archives/2026\"\r\n"
      "14 expunge\r\n"
      "15 logout\r\n",
      {"CAPABILITY", "AUTHENTICATE", "line:AGFsaWNlAHNlY3JldA==", "ID", "SELECT", "GETQUOTAROOT", "UID FETCH", "IDLE",
       "line:DONE", "UID FETCH", "UID STORE", "LIST", "UID FETCH", "UID COPY", "UID MOVE", "EXPUNGE", "LOGOUT"},
      0);
}

TEST(Transcript, OutlookAndMuttLikeSessions) {
  expect_same_at_every_chunk_size(
      "A1 CAPABILITY\r\n"
      "A2 LOGIN \"user@example.com\" \"p@ss w\\\"rd\"\r\n"
      "A3 LIST \"\" \"*\"\r\n"
      "A4 SELECT \"Sent Items\"\r\n"
      "A5 UID SEARCH UID 1:* NOT DELETED\r\n"
      "A6 UID FETCH 1:5 (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (DATE FROM SUBJECT "
      "CONTENT-TYPE X-MS-TNEF-Correlator CONTENT-CLASS IMPORTANCE PRIORITY X-PRIORITY THREAD-TOPIC REPLY-TO)])\r\n"
      "A7 NOOP\r\n"
      "a0008 STATUS \"INBOX\" (MESSAGES UNSEEN UIDNEXT)\r\n"
      "a0009 UID SEARCH RETURN (ALL) SUBJECT {5}\r\nhello\r\n"
      "a0010 UID STORE 5 (UNCHANGEDSINCE 99) FLAGS.SILENT (\\Seen \\Answered)\r\n"
      "a0011 UNSELECT\r\n"
      "A8 LOGOUT\r\n",
      {"CAPABILITY", "LOGIN", "LIST", "SELECT", "UID SEARCH", "UID FETCH", "NOOP", "STATUS", "UID SEARCH", "UID STORE",
       "UNSELECT", "LOGOUT"},
      1);
}

TEST(Transcript, MutatedCommandsNeverCrashTheParsers) {
  const std::vector<std::string> seeds = {
      "SELECT INBOX (QRESYNC (67890007 90060115194045000 41:211 (5000,7500 15000,22500)))",
      "LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"INBOX\" \"Sent/%\") RETURN (CHILDREN STATUS (MESSAGES))",
      "APPEND saved (\\Seen) \"17-Jul-1996 02:44:25 -0700\" {5}\r\nhello",
      "APPEND Drafts CATENATE (URL \"/a\" TEXT {2}\r\nab)",
      "SEARCH RETURN (MIN) CHARSET UTF-8 OR (SEEN FLAGGED) NOT HEADER a b UID 1:*,5 SINCE 1-Feb-1994",
      "UID FETCH 1:* (FLAGS BODY.PEEK[1.2.HEADER.FIELDS (A B)]<0.10> BINARY[1]) (CHANGEDSINCE 5 VANISHED)",
      "STORE 1 (UNCHANGEDSINCE 5) +FLAGS.SILENT (\\Seen)",
      "UID SORT RETURN (COUNT) (REVERSE DATE) UTF-8 ALL",
      "THREAD REFERENCES UTF-8 TEXT x",
      "ID (\"a\" \"b\")",
      "SETQUOTA \"\" (STORAGE 5)",
      "AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA==",
      "CREATE x (USE (\\Drafts))",
      "STATUS x (MESSAGES SIZE)",
  };
  const std::string noise = " ()[]<>{}\"\\*%$:,.0123456789~+-\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ&";
  std::mt19937 rng(42);
  int parsed = 0;
  for (int round = 0; round < 20000; ++round) {
    std::string s = seeds[rng() % seeds.size()];
    int edits = 1 + rng() % 4;
    for (int e = 0; e < edits && !s.empty(); ++e) {
      std::size_t at = rng() % s.size();
      switch (rng() % 3) {
        case 0: s[at] = noise[rng() % noise.size()]; break;
        case 1: s.erase(at, 1 + rng() % 3); break;
        default: s.insert(at, 1, noise[rng() % noise.size()]); break;
      }
    }
    std::size_t sp = s.find(' ');
    RawCommand raw{"t", sp == std::string::npos ? s : s.substr(0, sp), sp == std::string::npos ? "" : s.substr(sp + 1)};
    if (raw.name == "UID" || raw.name == "uid") continue;
    auto r = parse_command(raw, ParseOptions{});  // straight to the parser: no receiver framing to protect it
    if (r) ++parsed;
  }
  EXPECT_GT(parsed, 0);  // some mutations stay valid, most do not; none may crash
}

}  // namespace
}  // namespace claret::imap::proto
