// Tests for HTML to text conversion.
#include "mime/html_text.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

TEST(HtmlText, Table) {
  struct Case {
    std::string_view in, out;
  };
  const Case cases[] = {
      {"<p>Hello <b>world</b></p>", "\nHello  world \n"},
      {"a<br>b", "a\nb"},
      {"<script>alert('<p>x</p>')</script>ok", "ok"},
      {"<STYLE type=\"text/css\">p { color: red }</STYLE>ok", "ok"},
      {"<head><title>T</title></head>x", "x"},
      {"<!-- hidden <p> -->shown", "shown"},
      {"<a href=\"x>y\">link</a>", " link "},
      {"Fish &amp; chips &lt;3 &#233;&#x20AC; &nbsp;&bogus; &", "Fish & chips <3 \xC3\xA9\xE2\x82\xAC \xC2\xA0&bogus; &"},
      {"1 < 2", "1 < 2"},
      {"<script>never closed", ""},
      {"unterminated <b", "unterminated  "},
      {"&#0;&#xD800;&#99999999;", "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD"},
  };
  for (const auto& c : cases) EXPECT_EQ(html_to_text(c.in), c.out) << c.in;
}

}  // namespace
}  // namespace claret::mime
