// Tests for base subjects (RFC 5256 §2.1), message ids, summaries, previews and search text.
#include "mime/summary.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(BaseSubject, Rfc5256) {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"Hello", "Hello"},
      {"Re: Hello", "Hello"},
      {"RE: re: Fwd: Hello", "Hello"},
      {"Re[2]: Hello", "Hello"},
      {"Re:Hello (fwd)", "Hello"},
      {"Hello (fwd) (FWD)  ", "Hello"},
      {"[list] Re: Hello", "Hello"},
      {"[list] [other] Hello", "Hello"},
      {"Re: [list] Re: Hello", "Hello"},
      {"[Fwd: Re: Hello]", "Hello"},
      {"[fwd: [list] hello] (fwd)", "hello"},
      {"[only a blob]", "[only a blob]"},
      {"Fw: Hello\t  world", "Hello world"},
      {"Reply to this", "Reply to this"},
      {"", ""},
      {"Re:", ""},
  };
  for (const auto& c : cases) EXPECT_EQ(base_subject(c.in), c.out) << c.in;
}

TEST(MessageIds, Parse) {
  EXPECT_EQ(parse_message_ids(" <a@b> (comment)\r\n <c@d>"), (std::vector<std::string>{"a@b", "c@d"}));
  EXPECT_EQ(parse_message_ids("<a @b>"), (std::vector<std::string>{"a@b"}));
  EXPECT_EQ(parse_message_ids(" bare@id "), (std::vector<std::string>{"bare@id"}));
  EXPECT_TRUE(parse_message_ids("").empty());
}

const std::string kMessage =
    "From: =?utf-8?Q?Ren=C3=A9?= <Rene@Example.COM>\r\n"
    "To: Group: Bob <BOB@x.test>;\r\n"
    "Cc: carol@y.test, dave@z.test\r\n"
    "Subject: Re: [team] =?utf-8?B?w6l0w6k=?=\r\n"
    "Date: Fri, 21 Nov 1997 09:55:06 -0600\r\n"
    "Message-ID: <m1@example.com>\r\n"
    "In-Reply-To: <m0@example.com>\r\n"
    "References: <r1@x> <r2@x>\r\n"
    " <m0@example.com>\r\n"
    "Content-Type: multipart/mixed; boundary=b\r\n"
    "\r\n"
    "--b\r\n"
    "Content-Type: multipart/alternative; boundary=c\r\n"
    "\r\n"
    "--c\r\n"
    "Content-Type: text/html; charset=iso-8859-1\r\n"
    "\r\n"
    "<html><head><style>p{}</style></head><p>HTML caf\xE9</p></html>\r\n"
    "--c\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n"
    "Content-Transfer-Encoding: quoted-printable\r\n"
    "\r\n"
    "Hello   there,=0D=0A  caf=C3=A9 =\r\nsoft\r\n"
    "--c--\r\n"
    "--b\r\n"
    "Content-Type: application/pdf\r\n"
    "Content-Disposition: attachment; filename=a.pdf\r\n"
    "\r\n"
    "%PDF\r\n"
    "--b--\r\n";

TEST(Summary, Fields) {
  const auto m = parse(kMessage);
  const MessageSummary s = summarize(m);
  EXPECT_EQ(s.subject, "Re: [team] \xC3\xA9t\xC3\xA9");
  EXPECT_EQ(s.base_subject, "\xC3\xA9t\xC3\xA9");
  EXPECT_EQ(s.from_addr, "rene@example.com");
  EXPECT_EQ(s.from_name, "Ren\xC3\xA9");
  EXPECT_EQ(s.to_addr, "bob@x.test");
  EXPECT_EQ(s.cc_addr, "carol@y.test");
  EXPECT_EQ(s.message_id, "m1@example.com");
  EXPECT_EQ(s.in_reply_to, "m0@example.com");
  EXPECT_EQ(s.references, (std::vector<std::string>{"r1@x", "r2@x", "m0@example.com"}));
  EXPECT_EQ(s.date, 880127706);
  EXPECT_TRUE(s.has_attachments);
}

TEST(Summary, AttachmentFilenames) {
  const std::string raw =
      "Content-Type: multipart/mixed; boundary=b\r\n\r\n"
      "--b\r\nContent-Type: application/pdf; name=\"=?utf-8?Q?r=C3=A9sum=C3=A9.pdf?=\"\r\n\r\nx\r\n"
      "--b\r\nContent-Type: text/plain\r\nContent-Disposition: attachment;\r\n"
      " filename*=iso-8859-1''caf%E9.txt\r\n\r\ny\r\n"
      "--b\r\nContent-Type: image/png\r\nContent-Disposition: inline; filename=i.png\r\n\r\nz\r\n"
      "--b\r\nContent-Type: text/plain\r\n\r\nbody\r\n"
      "--b--\r\n";
  const auto m = parse(raw);
  ASSERT_EQ(m.parts().size(), 5u);
  EXPECT_EQ(attachment_filename(m, m.part(1)), "r\xC3\xA9sum\xC3\xA9.pdf");
  EXPECT_TRUE(is_attachment(m, m.part(1)));
  EXPECT_EQ(attachment_filename(m, m.part(2)), "caf\xC3\xA9.txt");
  EXPECT_TRUE(is_attachment(m, m.part(2)));
  EXPECT_EQ(attachment_filename(m, m.part(3)), "i.png");
  EXPECT_FALSE(is_attachment(m, m.part(3)));
  EXPECT_EQ(attachment_filename(m, m.part(4)), "");
  EXPECT_FALSE(is_attachment(m, m.part(4)));
  EXPECT_FALSE(is_attachment(m, m.root()));
}

TEST(Summary, NoAttachmentsAndMissingFields) {
  const auto m = parse("Subject: plain\r\n\r\nJust text\r\n");
  const MessageSummary s = summarize(m);
  EXPECT_FALSE(s.has_attachments);
  EXPECT_FALSE(s.date.has_value());
  EXPECT_EQ(s.from_addr, "");
  EXPECT_TRUE(s.references.empty());
}

TEST(Preview, PrefersPlainTextAndCollapsesWhitespace) {
  const auto m = parse(kMessage);
  EXPECT_EQ(preview(m, kMessage), "Hello there, caf\xC3\xA9 soft");
  EXPECT_EQ(preview(m, kMessage, 7), "Hello t");
  EXPECT_EQ(preview(m, kMessage, 17), "Hello there, caf\xC3\xA9");
}

TEST(Preview, FallsBackToHtml) {
  const std::string raw =
      "Content-Type: text/html; charset=iso-8859-1\r\n\r\n<html><head><title>t</title></head>"
      "<body><script>x()</script><p>Hi&nbsp;&amp;\r\n   caf\xE9</p></body></html>\r\n";
  EXPECT_EQ(preview(parse(raw), raw), "Hi & caf\xC3\xA9");
}

TEST(Preview, NothingTextual) {
  const std::string raw = "Content-Type: image/png\r\n\r\nPNG";
  EXPECT_EQ(preview(parse(raw), raw), "");
}

TEST(SearchText, HeadersAndAllTextParts) {
  const auto m = parse(kMessage);
  const std::string text = search_text(m, kMessage);
  EXPECT_NE(text.find("\xC3\xA9t\xC3\xA9"), std::string::npos);
  EXPECT_NE(text.find("Ren\xC3\xA9 <Rene@Example.COM>"), std::string::npos);
  EXPECT_NE(text.find("carol@y.test"), std::string::npos);
  EXPECT_NE(text.find("HTML caf\xC3\xA9"), std::string::npos);
  EXPECT_NE(text.find("caf\xC3\xA9 soft"), std::string::npos);
  EXPECT_EQ(text.find("p{}"), std::string::npos);
  EXPECT_EQ(text.find("%PDF"), std::string::npos);
}

TEST(SearchText, Capped) {
  std::string raw = "Content-Type: text/plain; charset=utf-8\r\n\r\n";
  for (size_t i = 0; i < kMaxSearchText; ++i) raw += "\xC3\xA9";
  const std::string text = search_text(parse(raw), raw);
  EXPECT_LE(text.size(), kMaxSearchText);
  EXPECT_GT(text.size(), kMaxSearchText - 4);
  EXPECT_EQ(text.size() % 2, 0u);  // not cut inside a character
}

}  // namespace
}  // namespace claret::mime
