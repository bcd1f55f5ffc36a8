// Tests for Content-Type / Content-Disposition parameters, including the RFC 2231 examples.
#include "mime/content_type.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

std::string param(const std::vector<Param>& ps, std::string_view name) {
  const Param* p = find_param(ps, name);
  return p ? p->value : "<none>";
}

TEST(ContentType, Basic) {
  const auto ct = parse_content_type(" Text/HTML ; Charset=\"UTF-8\" (comment); format=flowed");
  EXPECT_EQ(ct.type, "text");
  EXPECT_EQ(ct.subtype, "html");
  ASSERT_EQ(ct.params.size(), 2u);
  EXPECT_EQ(ct.params[0].name, "charset");
  EXPECT_EQ(ct.params[0].value, "UTF-8");
  EXPECT_EQ(ct.params[1].value, "flowed");
}

TEST(ContentType, Rfc2045Examples) {
  // RFC 2045 §5.1: comments and quoting are equivalent.
  for (std::string_view v : {"text/plain; charset=us-ascii (Plain text)", "text/plain; charset=\"us-ascii\"",
                             "text/plain ; charset = us-ascii"}) {
    const auto ct = parse_content_type(v);
    EXPECT_EQ(ct.type, "text") << v;
    EXPECT_EQ(param(ct.params, "charset"), "us-ascii") << v;
  }
}

TEST(ContentType, Broken) {
  EXPECT_EQ(parse_content_type("").type, "");
  EXPECT_EQ(parse_content_type("text").type, "");
  EXPECT_EQ(parse_content_type("text/").type, "");
  EXPECT_EQ(parse_content_type("/plain").type, "");
  const auto ct = parse_content_type("multipart/mixed; boundary=\"a\\\"b\"; junk; =x; name=");
  EXPECT_EQ(ct.subtype, "mixed");
  EXPECT_EQ(param(ct.params, "boundary"), "a\"b");
  const auto unterminated = parse_content_type("multipart/mixed; boundary=\"abc");
  EXPECT_EQ(param(unterminated.params, "boundary"), "abc");
  const auto spaced = parse_content_type("multipart/mixed; boundary=with space inside; x=1");
  EXPECT_EQ(param(spaced.params, "boundary"), "with space inside");
  EXPECT_EQ(param(spaced.params, "x"), "1");
}

TEST(ContentType, Rfc2231Continuations) {
  const auto ct = parse_content_type(
      "message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n "
      "URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
  EXPECT_EQ(param(ct.params, "access-type"), "URL");
  EXPECT_EQ(param(ct.params, "url"), "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
  EXPECT_FALSE(find_param(ct.params, "url")->extended);
}

TEST(ContentType, Rfc2231CharsetAndLanguage) {
  const auto ct = parse_content_type("application/x-stuff;\r\n title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
  const Param* p = find_param(ct.params, "title");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->value, "This is ***fun***");
  EXPECT_EQ(p->language, "en-us");
  EXPECT_TRUE(p->extended);
}

TEST(ContentType, Rfc2231MixedSegments) {
  const auto ct = parse_content_type(
      "application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n "
      "title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"");
  EXPECT_EQ(param(ct.params, "title"), "This is even more ***fun*** isn't it!");
}

TEST(ContentType, Rfc2231CharsetConversionAndOrder) {
  const auto cd = parse_content_disposition(
      "attachment; filename*1*=%E9.txt; filename*0*=iso-8859-1''caf; size=10");
  EXPECT_EQ(cd.type, "attachment");
  ASSERT_EQ(cd.params.size(), 2u);
  EXPECT_EQ(cd.params[0].name, "filename");
  EXPECT_EQ(cd.params[0].value, "caf\xC3\xA9.txt");
  EXPECT_EQ(cd.params[1].name, "size");
  // A gap in the continuation numbers ends the value; hostile indexes are ignored.
  const auto gap = parse_content_disposition("inline; name*0=a; name*2=c; name*99999999999=x");
  EXPECT_EQ(param(gap.params, "name"), "a");
  // name*= wins over a plain name= given for old readers.
  const auto both = parse_content_disposition("attachment; filename=\"old.txt\"; filename*=utf-8''n%C3%A9w.txt");
  EXPECT_EQ(param(both.params, "filename"), "n\xC3\xA9w.txt");
}

TEST(ContentType, Disposition) {
  const auto cd = parse_content_disposition("INLINE");
  EXPECT_EQ(cd.type, "inline");
  EXPECT_TRUE(cd.params.empty());
  EXPECT_EQ(parse_content_disposition("").type, "");
}

}  // namespace
}  // namespace claret::mime
