// Tests for RFC 2047 encoded-word decoding, including the §8 examples.
#include "mime/encoded_word.hpp"

#include <gtest/gtest.h>

#include "mime/header.hpp"

namespace claret::mime {
namespace {

struct Case {
  std::string_view in, out;
};

TEST(EncodedWord, Rfc2047Section8Examples) {
  const Case cases[] = {
      {"(=?ISO-8859-1?Q?a?=)", "(a)"},
      {"(=?ISO-8859-1?Q?a?= b)", "(a b)"},
      {"(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)", "(ab)"},
      {"(=?ISO-8859-1?Q?a_b?=)", "(a b)"},
      {"(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)", "(a b)"},
      {"=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>", "Keith Moore <moore@cs.utk.edu>"},
      {"=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>", "Keld J\xC3\xB8rn Simonsen <keld@dkuug.dk>"},
      {"=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>", "Andr\xC3\xA9 Pirard <PIRARD@vm1.ulg.ac.be>"},
      {"=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=",
       "If you can read this you understand the example."},
      {"Nathaniel Borenstein <nsb@thumper.bellcore.com>\r\n (=?iso-8859-8?b?7eXs+SDv4SDp7Oj08A==?=)",
       "Nathaniel Borenstein <nsb@thumper.bellcore.com> (\xD7\x9D\xD7\x95\xD7\x9C\xD7\xA9 \xD7\x9F\xD7\x91 "
       "\xD7\x99\xD7\x9C\xD7\x98\xD7\xA4\xD7\xA0)"},
  };
  for (const auto& c : cases) EXPECT_EQ(decode_encoded_words(unfold(c.in)), c.out) << c.in;
}

TEST(EncodedWord, LenientAndMalformed) {
  const Case cases[] = {
      {"no words here", "no words here"},
      {"=?utf-8?X?abc?=", "=?utf-8?X?abc?="},          // unknown encoding: left as is
      {"=?utf-8?Q?unterminated", "=?utf-8?Q?unterminated"},
      {"=?utf-8?Q?has space?=", "=?utf-8?Q?has space?="},
      {"=??Q?x?=", "=??Q?x?="},
      {"=?utf-8?q?lower_q?=", "lower q"},
      {"=?utf-8?b?w6k=?=", "\xC3\xA9"},
      {"=?US-ASCII*EN?Q?Keith_Moore?=", "Keith Moore"},  // RFC 2231 §5 language
      {"=?UTF-8?B?4oI=?= =?UTF-8?B?rA==?=", "\xE2\x82\xAC"},  // one character split over two words
      {"Re: =?utf-8?Q?caf=C3=A9?= time", "Re: caf\xC3\xA9 time"},
      {"a=?utf-8?Q?b?=c", "abc"},                       // not space-delimited, decoded anyway
      {"=?x-unknown?Q?caf=E9?=", "caf\xEF\xBF\xBD"},
      {"raw \xC3\xA9 and \xFF", "raw \xC3\xA9 and \xEF\xBF\xBD"},
      {"=?utf-8?Q?a?= b =?utf-8?Q?c?=", "a b c"},
  };
  for (const auto& c : cases) EXPECT_EQ(decode_encoded_words(c.in), c.out) << c.in;
}

TEST(Header, UnfoldAndDecodeUnstructured) {
  EXPECT_EQ(unfold(" This is a\r\n test"), "This is a test");
  EXPECT_EQ(unfold("\ta\n\tb  "), "a\tb");
  EXPECT_EQ(decode_unstructured(" =?utf-8?Q?x?=\r\n =?utf-8?Q?y?="), "xy");
}

}  // namespace
}  // namespace claret::mime
