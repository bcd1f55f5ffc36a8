// build_dsn tests: RFC 3464 structure (multipart/report, delivery-status fields), RET handling, header safety;
// the result must parse with the project's MIME parser.
#include "queue/dsn.hpp"

#include <gtest/gtest.h>

namespace claret::queue {
namespace {

DsnInput sample() {
  DsnInput in;
  in.reporting_mta = "mx.example.org";
  in.to = "alice@example.org";
  in.envid = "QQ314159";
  in.arrival = 1764690000;
  in.now = 1764693600;
  in.retry_until = 1764690000 + 5 * 86400;
  in.original = "From: alice@example.org\r\nSubject: hello\r\n\r\nsecret body\r\n";
  in.message_id = "1764693600.7.42@mx.example.org";
  in.recipients.push_back({"bob@remote.test", "rfc822;bob@remote.test", DsnAction::failed, "5.1.1",
                           "mx.remote.test", "550 5.1.1 no such user"});
  return in;
}

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

TEST(Dsn, FailureReportStructure) {
  std::string m = build_dsn(sample());
  EXPECT_TRUE(contains(m, "From: Mail Delivery System <MAILER-DAEMON@mx.example.org>\r\n"));
  EXPECT_TRUE(contains(m, "To: <alice@example.org>\r\n"));
  EXPECT_TRUE(contains(m, "Auto-Submitted: auto-replied\r\n"));
  EXPECT_TRUE(contains(m, "Content-Type: multipart/report; report-type=delivery-status;"));
  EXPECT_TRUE(contains(m, "Content-Type: message/delivery-status\r\n"));
  EXPECT_TRUE(contains(m, "Reporting-MTA: dns; mx.example.org\r\n"));
  EXPECT_TRUE(contains(m, "Original-Envelope-Id: QQ314159\r\n"));
  EXPECT_TRUE(contains(m, "Arrival-Date: Tue, 02 Dec 2025 15:40:00 +0000\r\n"));
  EXPECT_TRUE(contains(m, "Original-Recipient: rfc822; bob@remote.test\r\n"));
  EXPECT_TRUE(contains(m, "Final-Recipient: rfc822; bob@remote.test\r\nAction: failed\r\nStatus: 5.1.1\r\n"));
  EXPECT_TRUE(contains(m, "Remote-MTA: dns; mx.remote.test\r\n"));
  EXPECT_TRUE(contains(m, "Diagnostic-Code: smtp; 550 5.1.1 no such user\r\n"));
  // RET absent: headers only, never the body.
  EXPECT_TRUE(contains(m, "Content-Type: text/rfc822-headers\r\n"));
  EXPECT_TRUE(contains(m, "Subject: hello\r\n"));
  EXPECT_FALSE(contains(m, "secret body"));
  // Every line ends in CRLF; the boundary closes.
  for (size_t i = 0; i < m.size(); ++i) {
    if (m[i] == '\n') {
      ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
    }
  }
  EXPECT_TRUE(contains(m, "\r\n--=_claret_dsn_1764693600.7.42.mx.example.org--\r\n"));
}

TEST(Dsn, RetFullIncludesTheMessage) {
  DsnInput in = sample();
  in.return_full = true;
  std::string m = build_dsn(in);
  EXPECT_TRUE(contains(m, "Content-Type: message/rfc822\r\n"));
  EXPECT_TRUE(contains(m, "secret body"));
}

TEST(Dsn, DelayedAndDeliveredActions) {
  DsnInput in = sample();
  in.recipients[0].action = DsnAction::delayed;
  in.recipients[0].status = "4.4.1";
  in.recipients[0].diagnostic = "connection refused";
  in.recipients.push_back({"carol@remote.test", "", DsnAction::delivered, "2.0.0", "mx.remote.test", "250 ok"});
  std::string m = build_dsn(in);
  EXPECT_TRUE(contains(m, "Subject: Delayed Mail (still being retried)\r\n"));
  EXPECT_TRUE(contains(m, "Action: delayed\r\nStatus: 4.4.1\r\n"));
  EXPECT_TRUE(contains(m, "Will-Retry-Until: Sun, 07 Dec 2025 15:40:00 +0000\r\n"));
  EXPECT_TRUE(contains(m, "Diagnostic-Code: X-claret; connection refused\r\n"));
  EXPECT_TRUE(contains(m, "Final-Recipient: rfc822; carol@remote.test\r\nAction: delivered\r\n"));
}

TEST(Dsn, RemoteTextCannotInjectHeaders) {
  DsnInput in = sample();
  in.recipients[0].diagnostic = "550 no\r\nBcc: victim@example.com";
  in.to = "alice@example.org>\r\nX-Evil: 1";
  std::string m = build_dsn(in);
  EXPECT_FALSE(contains(m, "\r\nBcc:"));
  EXPECT_FALSE(contains(m, "\r\nX-Evil:"));
}

TEST(Dsn, StatusForReply) {
  EXPECT_EQ(status_for_reply(550, "5.7.1"), "5.7.1");
  EXPECT_EQ(status_for_reply(550, ""), "5.0.0");
  EXPECT_EQ(status_for_reply(451, "5.7.1"), "4.0.0");  // mismatched class: ignore the enhanced code
  EXPECT_EQ(status_for_reply(250, ""), "2.0.0");
}

TEST(Dsn, DateFormat) { EXPECT_EQ(format_rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000"); }

}  // namespace
}  // namespace claret::queue
