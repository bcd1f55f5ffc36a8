#include "mail/submission_headers.hpp"

#include <gtest/gtest.h>

namespace claret::mail {

SubmissionInfo info(bool extract = false) {
  SubmissionInfo i;
  i.sender = "alice@example.test";
  i.full_name = "Alice \"A\" Smith";
  i.hostname = "mail.example.test";
  i.now = 0;
  i.extract_recipients = extract;
  return i;
}

TEST(SubmissionHeaders, AddsMissingDateMessageIdFrom) {
  auto out = complete_submission("Subject: hi\r\n\r\nbody\r\n", info());
  EXPECT_EQ(out.message.rfind("Subject: hi\r\nDate: Thu, 01 Jan 1970 00:00:00 +0000\r\nMessage-ID: <", 0), 0u) << out.message;
  EXPECT_NE(out.message.find("@mail.example.test>\r\nFrom: \"Alice \\\"A\\\" Smith\" <alice@example.test>\r\n\r\nbody\r\n"),
            std::string::npos)
      << out.message;
  EXPECT_TRUE(out.recipients.empty());
}

TEST(SubmissionHeaders, KeepsPresentFields) {
  std::string msg = "From: b@x.test\r\nDate: Mon, 1 Jan 2024 00:00:00 +0000\r\nMessage-ID: <a@b>\r\n\r\nx\r\n";
  EXPECT_EQ(complete_submission(msg, info()).message, msg);
}

TEST(SubmissionHeaders, HeaderWithoutBlankLine) {
  auto out = complete_submission("From: b@x.test\r\nDate: x\r\nMessage-ID: <a@b>\r\nSubject: only\r\n", info());
  EXPECT_EQ(out.message, "From: b@x.test\r\nDate: x\r\nMessage-ID: <a@b>\r\nSubject: only\r\n\r\n");
}

TEST(SubmissionHeaders, ExtractsRecipientsAndDropsBcc) {
  auto out = complete_submission(
      "From: a@example.test\r\nTo: Bob <bob@x.test>, carol@y.test\r\nCc: team: dan@z.test;\r\n"
      "Bcc: secret@w.test,\r\n hidden@w.test\r\nDate: x\r\nMessage-ID: <m@x>\r\n\r\nhello\r\n",
      info(true));
  EXPECT_EQ(out.recipients,
            (std::vector<std::string>{"bob@x.test", "carol@y.test", "dan@z.test", "secret@w.test", "hidden@w.test"}));
  EXPECT_EQ(out.message.find("Bcc"), std::string::npos) << out.message;
  EXPECT_EQ(out.message.find("hidden"), std::string::npos) << out.message;
  EXPECT_NE(out.message.find("Date: x\r\nMessage-ID: <m@x>\r\n\r\nhello\r\n"), std::string::npos);
}

}  // namespace claret::mail
