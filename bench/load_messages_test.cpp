// Tests for the load generator's messages: sizes, DATA form (RFC 5321 §4.5.2), unique Message-IDs.
#include "load_messages.hpp"

#include <gtest/gtest.h>

#include <set>

namespace claret::bench {
namespace {

std::string sample(MessageKind kind, uint64_t seed = 7) {
  MessageTemplate t(kind, seed);
  return t.data_for("a@sender.test", "user1@bench.test", make_message_id(1, 2, "sender.test"), 1);
}

// Every line ends in CRLF, none is longer than RFC 5321's 1000 octets, and only the final line is ".".
void expect_data_form(const std::string& data) {
  ASSERT_GE(data.size(), 5u);
  EXPECT_EQ(data.substr(data.size() - 5), "\r\n.\r\n");
  size_t start = 0;
  size_t lines = 0;
  while (start < data.size()) {
    size_t eol = data.find("\r\n", start);
    ASSERT_NE(eol, std::string::npos) << "unterminated line at " << start;
    std::string_view line(data.data() + start, eol - start);
    EXPECT_EQ(line.find('\n'), std::string_view::npos) << "bare LF in line " << lines;
    EXPECT_EQ(line.find('\r'), std::string_view::npos) << "bare CR in line " << lines;
    EXPECT_LE(line.size(), 998u);
    bool last = eol + 2 == data.size();
    if (!last) {
      EXPECT_FALSE(!line.empty() && line[0] == '.') << "unstuffed dot in line " << lines;
    }
    start = eol + 2;
    ++lines;
  }
}

TEST(LoadMessages, ParsesKinds) {
  EXPECT_EQ(parse_message_kind("6k"), MessageKind::kAlternative6k);
  EXPECT_EQ(parse_message_kind("100k"), MessageKind::kAttachment100k);
  EXPECT_FALSE(parse_message_kind("6K").has_value());
  EXPECT_FALSE(parse_message_kind("").has_value());
}

TEST(LoadMessages, SixKilobyteAlternative) {
  std::string m = sample(MessageKind::kAlternative6k);
  EXPECT_GE(m.size(), 5800u);
  EXPECT_LE(m.size(), 6600u);
  EXPECT_NE(m.find("Content-Type: multipart/alternative;"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/plain"), std::string::npos);
  EXPECT_NE(m.find("Content-Type: text/html"), std::string::npos);
  EXPECT_NE(m.find("\r\n--=_claret_bench_alt_7f3a9c--\r\n"), std::string::npos);
  expect_data_form(m);
}

TEST(LoadMessages, HundredKilobyteAttachment) {
  std::string m = sample(MessageKind::kAttachment100k);
  EXPECT_GE(m.size(), 98000u);
  EXPECT_LE(m.size(), 106000u);
  EXPECT_NE(m.find("Content-Type: multipart/mixed;"), std::string::npos);
  EXPECT_NE(m.find("Content-Disposition: attachment; filename=\"quarterly-report.pdf\""), std::string::npos);
  EXPECT_NE(m.find("\r\n--=_claret_bench_mixed_41d2e8--\r\n"), std::string::npos);
  expect_data_form(m);
}

TEST(LoadMessages, HeadersCarryRecipientAndMessageId) {
  MessageTemplate t(MessageKind::kAlternative6k, 1);
  std::string m = t.data_for("s@sender.test", "user42@bench.test", "<9.9@sender.test>", 9);
  EXPECT_EQ(m.rfind("From: Load Generator <s@sender.test>\r\nTo: <user42@bench.test>\r\n", 0), 0u);
  EXPECT_NE(m.find("\r\nMessage-ID: <9.9@sender.test>\r\n"), std::string::npos);
  EXPECT_NE(m.find("\r\nSubject: claret benchmark message 9\r\n"), std::string::npos);
}

TEST(LoadMessages, SameSeedSameBody) {
  MessageTemplate a(MessageKind::kAttachment100k, 3);
  MessageTemplate b(MessageKind::kAttachment100k, 3);
  MessageTemplate c(MessageKind::kAttachment100k, 4);
  auto msg = [](const MessageTemplate& t) { return t.data_for("f@x.test", "t@y.test", "<1@x.test>", 1); };
  EXPECT_EQ(msg(a), msg(b));
  EXPECT_NE(msg(a), msg(c));
}

TEST(LoadMessages, MessageIdsAreUnique) {
  std::set<std::string> ids;
  for (uint64_t i = 0; i < 1000; ++i) ids.insert(make_message_id(i, 77, "sender.test"));
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_NE(make_message_id(1, 77, "d.test"), make_message_id(1, 78, "d.test"));
  EXPECT_EQ(make_message_id(5, 6, "d.test"), "<5.6@d.test>");
}

}  // namespace
}  // namespace claret::bench
