#include "webmail/html/sanitizer.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "base/strings.hpp"
#include "mime/body.hpp"
#include "mime/message.hpp"

namespace claret::webmail::html {
namespace {

std::string clean(std::string_view in, bool remote = false) {
  SanitizeOptions o;
  o.allow_remote = remote;
  o.cid_url = [](std::string_view id) { return id == "img1@x" ? std::string("/api/part?section=2") : std::string(); };
  return sanitize(in, o).html;
}

// What must never survive: script elements, event-handler attributes, javascript: inside a tag.
void expect_inert(const std::string& out, const std::string& context) {
  std::string lower = to_lower(out);
  EXPECT_EQ(lower.find("<script"), std::string::npos) << context << "\n" << out;
  // Each tag (std::regex overflows the stack on megabyte inputs, so scan by hand).
  for (size_t lt = lower.find('<'); lt != std::string::npos; lt = lower.find('<', lt + 1)) {
    size_t gt = lower.find('>', lt);
    std::string t = lower.substr(lt, gt == std::string::npos ? std::string::npos : gt - lt + 1);
    for (size_t on = t.find("on"); on != std::string::npos; on = t.find("on", on + 1)) {
      if (on == 0 || !(std::isspace(static_cast<unsigned char>(t[on - 1])) || t[on - 1] == '"' || t[on - 1] == '\'' ||
                       t[on - 1] == '/'))
        continue;
      size_t k = on + 2;
      while (k < t.size() && std::isalpha(static_cast<unsigned char>(t[k]))) ++k;
      while (k < t.size() && std::isspace(static_cast<unsigned char>(t[k]))) ++k;
      EXPECT_FALSE(k > on + 2 && k < t.size() && t[k] == '=') << context << ": " << t;
    }
    EXPECT_EQ(t.find("javascript:"), std::string::npos) << context << ": " << t;
    EXPECT_EQ(t.find("vbscript:"), std::string::npos) << context << ": " << t;
  }
}

TEST(Sanitizer, KeepsHarmlessMarkup) {
  EXPECT_EQ(clean("<p class=x>Hello <b>world</b> &amp; a &lt; b</p>"),
            "<p class=\"x\">Hello <b>world</b> &amp; a &lt; b</p>");
  EXPECT_EQ(clean("a < b > c"), "a &lt; b &gt; c");
  EXPECT_EQ(clean("<div><span>open"), "<div><span>open</span></div>");
}

TEST(Sanitizer, DropsActiveContent) {
  EXPECT_EQ(clean("x<script>alert(1)</script>y"), "xy");
  EXPECT_EQ(clean("x<SCRIPT SRC=//evil></SCRIPT>y"), "xy");
  EXPECT_EQ(clean("<img src=x onerror=alert(1) alt=a>"), "<img alt=\"a\">");
  EXPECT_EQ(clean("<a href=\"javascript:alert(1)\">x</a>"), "<a target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
  EXPECT_EQ(clean("<a href=\"&#106;ava&#x73;cript&colon;alert(1)\">x</a>"),
            "<a target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
  EXPECT_EQ(clean("<a href=\" java\tscript:x\">x</a>"), "<a target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
  EXPECT_EQ(clean("<form action=/api/logout><input name=a><button>go</button></form>t"), "t");
  EXPECT_EQ(clean("<meta http-equiv=refresh content=\"0;url=http://x\"><base href=http://x>t"), "t");
  EXPECT_EQ(clean("<iframe src=x>inner</iframe>t"), "t");
  EXPECT_EQ(clean("<div style=\"width:expression(alert(1))\">t</div>"), "<div>t</div>");
  EXPECT_EQ(clean("<style>a{behavior:url(x.htc)}</style>t"), "t");
  EXPECT_EQ(clean("<style>p{color:red}</style>t"), "<style>p{color:red}</style>t");
  EXPECT_EQ(clean("<svg><script>alert(1)</script></svg>t"), "t");
  EXPECT_EQ(clean("<p/onclick=alert(1)>t</p>"), "<p>t</p>");
  EXPECT_EQ(clean("<!-- <script>x</script> -->t"), "t");
  EXPECT_EQ(clean("<img src=\"x\" alt='\"><script>alert(1)</script>'>"),
            "<img alt=\"&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">");
}

TEST(Sanitizer, LinksOpenOutside) {
  EXPECT_EQ(clean("<a href='https://example.com/?a=1&amp;b=2'>x</a>"),
            "<a href=\"https://example.com/?a=1&amp;b=2\" target=\"_blank\" rel=\"noopener noreferrer\">x</a>");
}

TEST(Sanitizer, RemoteImagesBlockedUnlessAllowed) {
  SanitizeOptions o;
  auto r = sanitize("<img src=\"https://tracker.example/p.gif\" alt=t><div style=\"background:url(http://x/y)\">d</div>", o);
  EXPECT_TRUE(r.remote_content_blocked);
  EXPECT_EQ(r.html, "<img alt=\"t\"><div>d</div>");
  o.allow_remote = true;
  r = sanitize("<img src=\"https://tracker.example/p.gif\">", o);
  EXPECT_FALSE(r.remote_content_blocked);
  EXPECT_EQ(r.html, "<img src=\"https://tracker.example/p.gif\">");
}

TEST(Sanitizer, CidImagesPointAtThePartUrl) {
  EXPECT_EQ(clean("<img src=\"cid:img1@x\">"), "<img src=\"/api/part?section=2\">");
  EXPECT_EQ(clean("<img src=\"cid:<img1@x>\">"), "<img src=\"/api/part?section=2\">");
  EXPECT_EQ(clean("<img src=\"cid:unknown\">"), "");
  EXPECT_EQ(clean("<img src=\"data:image/png;base64,AAAA\">"), "<img src=\"data:image/png;base64,AAAA\">");
  EXPECT_EQ(clean("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">"), "");
}

TEST(Sanitizer, HostileFragmentsStayInert) {
  const char* cases[] = {
      "<scr<script>ipt>alert(1)</script>", "<<script>script>alert(1)</script>", "<img \"\"\"><script>x</script>\">",
      "<a href=javascript&colon;alert(1)>x", "<div onmouseover\n=alert(1)>", "<table background=javascript:x>",
      "<img src=`javascript:x`>", "<math><mi xlink:href=javascript:x>", "<a href=\"jav&#x09;ascript:x\">x</a>",
      "<ScRiPt>x</sCrIpT>", "</script><script>x", "<a onclick", "<", "<a", "<a href=", "<a href=\"",
      "<img src=x:alert(alt) onerror=eval(src) alt=0>", "<body onload=x>", "<style>x{}</style", "&#0;&#xD800;<b",
      "<textarea><script>x</script></textarea>", "<title><script>x</script></title>"};
  for (const char* c : cases) expect_inert(clean(c), c);
}

// Every HTML part of every corpus message sanitises without crashing and comes out inert.
TEST(Sanitizer, Corpus) {
  namespace fs = std::filesystem;
  fs::path root = fs::path(CLARET_SHARED_DIR) / "corpus";
  ASSERT_TRUE(fs::exists(root)) << root;
  size_t html_parts = 0;
  for (const auto& entry : fs::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.file_size() > 20 * 1024 * 1024) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string raw = ss.str();
    // Raw HTML anywhere in the file (mbox members, fixtures) is fair game too.
    if (to_lower(raw).find("<html") != std::string::npos || to_lower(raw).find("<script") != std::string::npos)
      expect_inert(clean(raw), entry.path().string() + " (whole file)");
    mime::ParsedMessage msg = mime::parse(raw);
    for (const auto& part : msg.parts()) {
      if (!part.is_type("text", "html")) continue;
      ++html_parts;
      std::string html = mime::decode_text(msg, part);
      expect_inert(clean(html), entry.path().string());
      expect_inert(clean(html, true), entry.path().string() + " (remote)");
    }
  }
  EXPECT_GT(html_parts, 10u);
}

}  // namespace
}  // namespace claret::webmail::html
