#include "mime/message_builder.hpp"

#include <gtest/gtest.h>

#include "mime/body.hpp"
#include "mime/message.hpp"
#include "mime/summary.hpp"

namespace claret::mime {
namespace {

MessageDraft basic() {
  MessageDraft d;
  d.from = "Ann Example <ann@example.test>";
  d.to = {"bob@example.test", "\"Carl, Jr.\" <carl@example.test>"};
  d.bcc = {"hidden@example.test"};
  d.subject = "Hello";
  d.text = "Line one\nLine two\n";
  d.message_id_domain = "example.test";
  d.date = 1700000000;
  return d;
}

TEST(MessageBuilder, PlainTextMessage) {
  auto built = build_message(basic());
  ASSERT_TRUE(built) << built.error().message;
  const std::string& m = built->message;
  EXPECT_NE(m.find("Date: Tue, 14 Nov 2023 22:13:20 +0000\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("From: \"Ann Example\" <ann@example.test>\r\n"), std::string::npos) << m;
  EXPECT_NE(m.find("To: bob@example.test,\r\n \"Carl, Jr.\" <carl@example.test>\r\n"), std::string::npos) << m;
  EXPECT_EQ(m.find("Bcc"), std::string::npos);
  EXPECT_NE(m.find("Message-ID: " + built->message_id + "\r\n"), std::string::npos);
  EXPECT_TRUE(built->message_id.ends_with("@example.test>"));
  EXPECT_NE(m.find("\r\n\r\nLine one\r\nLine two\r\n"), std::string::npos) << m;
  EXPECT_EQ(built->envelope_from, "ann@example.test");
  EXPECT_EQ(built->recipients, (std::vector<std::string>{"bob@example.test", "carl@example.test", "hidden@example.test"}));
  for (size_t i = 0; i < m.size(); ++i)
    if (m[i] == '\n') ASSERT_TRUE(i > 0 && m[i - 1] == '\r') << "bare LF at " << i;
}

TEST(MessageBuilder, Utf8HeadersRoundTrip) {
  MessageDraft d = basic();
  d.from = "Zoë Ünïcode <zoe@example.test>";
  d.subject = std::string("Grüße aus Köln — ") + std::string(60, 'x') + " 日本語";
  d.text = "Grüße\n";
  auto built = build_message(d);
  ASSERT_TRUE(built);
  ParsedMessage msg = parse(built->message);
  MessageSummary s = summarize(msg);
  EXPECT_EQ(s.subject, d.subject);
  EXPECT_EQ(s.from_name, "Zoë Ünïcode");
  EXPECT_EQ(decode_text(msg, msg.root()), "Grüße\r\n");
  for (auto line_end = built->message.find("\r\n\r\n"), pos = size_t(0); pos < line_end;) {
    auto nl = built->message.find("\r\n", pos);
    EXPECT_LE(nl - pos, 78u) << built->message.substr(pos, nl - pos);
    pos = nl + 2;
  }
}

TEST(MessageBuilder, AlternativeAttachmentsAndForward) {
  MessageDraft d = basic();
  d.html = "<p>Hi</p>";
  d.attachments.push_back({"report ä.pdf", "application/pdf", std::string("%PDF\0\x01\xff", 7)});
  d.forwarded = "From: x@y\r\nSubject: old\r\n\r\nold body\r\n";
  d.in_reply_to = "abc@host";
  d.references = "<r1@h> <abc@host>";
  auto built = build_message(d);
  ASSERT_TRUE(built);
  ParsedMessage msg = parse(built->message);
  EXPECT_TRUE(msg.root().is_type("multipart", "mixed"));
  int text = 0, html = 0, pdf = 0, rfc822 = 0;
  for (const auto& p : msg.parts()) {
    if (p.is_type("text", "plain") && p.parent >= 0 && msg.part(p.parent).is_type("multipart", "alternative")) ++text;
    if (p.is_type("text", "html")) {
      ++html;
      EXPECT_EQ(decode_text(msg, p), "<p>Hi</p>");  // the last CRLF belongs to the boundary
    }
    if (p.is_type("application", "pdf")) {
      ++pdf;
      EXPECT_EQ(decode_body(msg, p), std::string("%PDF\0\x01\xff", 7));
      EXPECT_EQ(attachment_filename(msg, p), "report ä.pdf");
    }
    if (p.is_type("message", "rfc822")) ++rfc822;
  }
  EXPECT_EQ(text, 1);
  EXPECT_EQ(html, 1);
  EXPECT_EQ(pdf, 1);
  EXPECT_EQ(rfc822, 1);
  EXPECT_NE(built->message.find("In-Reply-To: <abc@host>\r\n"), std::string::npos);
  EXPECT_NE(built->message.find("References: <r1@h>\r\n <abc@host>\r\n"), std::string::npos);
}

TEST(MessageBuilder, BadAddressesAreNamed) {
  MessageDraft d = basic();
  d.to = {"bob@"};
  auto built = build_message(d);
  ASSERT_FALSE(built);
  EXPECT_EQ(built.error().message, "bad address in To: \"bob@\"");
  d = basic();
  d.cc = {"a@b, c@d"};
  EXPECT_FALSE(build_message(d));
  d = basic();
  d.from = "";
  EXPECT_FALSE(build_message(d));
  d = basic();
  d.to = {"x@y\r\nBcc: evil@z"};
  EXPECT_FALSE(build_message(d));
}

TEST(MessageBuilder, DraftKeepsBccAndHeaderInjectionIsImpossible) {
  MessageDraft d = basic();
  d.keep_bcc = true;
  d.subject = "a\r\nBcc: evil@x";
  auto built = build_message(d);
  ASSERT_TRUE(built);
  EXPECT_NE(built->message.find("Bcc: hidden@example.test\r\n"), std::string::npos);
  EXPECT_EQ(built->message.find("\r\nBcc: evil"), std::string::npos);
}

TEST(MessageBuilder, QuotedPrintable) {
  EXPECT_EQ(qp_encode("a=b é"), "a=3Db =C3=A9");
  EXPECT_EQ(qp_encode("trail \r\nx"), "trail=20\r\nx");
  EXPECT_EQ(qp_encode(".dot\r\nFrom me"), "=2Edot\r\n=46rom me");
  std::string longline(200, 'a');
  std::string enc = qp_encode(longline);
  EXPECT_NE(enc.find("=\r\n"), std::string::npos);
}


TEST(MessageBuilder, ReplyToFromIdentity) {
  MessageDraft d = basic();
  d.reply_to = {"Help Desk <help@example.test>"};
  auto built = build_message(d);
  ASSERT_TRUE(built) << built.error().message;
  EXPECT_NE(built->message.find("Reply-To: \"Help Desk\" <help@example.test>\r\n"), std::string::npos) << built->message;
  EXPECT_EQ(built->recipients.size(), 3u);  // Reply-To is no recipient
  d.reply_to = {"help@"};
  auto bad = build_message(d);
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "bad address in Reply-To: \"help@\"");
}

}  // namespace
}  // namespace claret::mime
