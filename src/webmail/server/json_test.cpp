#include "webmail/server/json.hpp"

#include <gtest/gtest.h>

namespace claret::webmail::json {
namespace {

TEST(Json, ParsesObjectsArraysAndEscapes) {
  auto v = parse(R"( {"a": "x\u00e4\ud83d\ude00\n", "b": [1, 2.5, true, null], "c": {"d": false}} )");
  ASSERT_TRUE(v) << v.error().message;
  EXPECT_EQ(v->get("a")->string, "xä😀\n");
  EXPECT_EQ(v->get("b")->array.size(), 4u);
  EXPECT_EQ(v->get("b")->array[1].number, 2.5);
  EXPECT_FALSE(v->get("c")->get("d")->boolean);
  EXPECT_EQ(v->get("zz"), nullptr);
}

TEST(Json, RejectsBadInput) {
  for (const char* bad : {"", "{", "{\"a\":}", "[1,]", "{\"a\" 1}", "\"\x01\"", "01x", "{} x", "[\"\\q\"]", "tru"})
    EXPECT_FALSE(parse(bad)) << bad;
  std::string deep(100, '[');
  EXPECT_FALSE(parse(deep));
}

// Found by fuzz/webmail_http (fuzz/regressions/webmail_http/json_string_not_utf8): raw bytes that are not UTF-8
// went into strings unchanged, on to IMAP LOGIN and mailbox names. JSON text is UTF-8 (RFC 8259 §8.1).
TEST(Json, RejectsTextThatIsNotUtf8) {
  for (const char* bad : {"{\"user\":\"alice@x\xe1mple.test\"}", "\"\xc0\xaf\"", "\"\xed\xa0\x80\"", "\"\xf4\x90\x80\x80\"",
                          "\"\xff\"", "\"\xe2\x82\""}) {
    auto v = parse(bad);
    ASSERT_FALSE(v) << bad;
    EXPECT_EQ(v.error().code, 400);
    EXPECT_NE(v.error().message.find("not UTF-8 at offset"), std::string::npos) << v.error().message;
  }
  auto ok = parse("{\"name\":\"R\xc3\xa9sum\xc3\xa9 \xf0\x9f\x98\x80\"}");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->get("name")->string, "R\xc3\xa9sum\xc3\xa9 \xf0\x9f\x98\x80");
}

TEST(Json, Members) {
  auto v = parse(R"({"s":"x","n":5,"l":["a"],"u":[1,2],"bad":[0],"f":1.5})");
  ASSERT_TRUE(v);
  EXPECT_EQ(string_member(*v, "s").value(), "x");
  EXPECT_FALSE(string_member(*v, "n"));
  EXPECT_EQ(string_member(*v, "missing", false).value(), "");
  EXPECT_EQ(string_member(*v, "missing").error().message, "\"missing\" is required");
  EXPECT_EQ(string_list_member(*v, "l").value(), std::vector<std::string>{"a"});
  EXPECT_EQ(uid_list_member(*v, "u").value(), (std::vector<uint32_t>{1, 2}));
  EXPECT_FALSE(uid_list_member(*v, "bad"));
  EXPECT_FALSE(uid_member(*v, "f"));
  EXPECT_EQ(uid_member(*v, "n").value(), 5u);
}

TEST(Json, Builder) {
  std::string s = Builder::object().field("a", "x\"y").field_num("n", -3).field_bool("b", true)
                      .field_raw("l", string_array({"p", "q"})).done();
  EXPECT_EQ(s, R"({"a":"x\"y","n":-3,"b":true,"l":["p","q"]})");
  EXPECT_EQ(Builder::array().done(), "[]");
}

}  // namespace
}  // namespace claret::webmail::json
