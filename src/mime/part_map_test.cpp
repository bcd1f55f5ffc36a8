// Tests for the part map: RFC 3501 §6.4.5 section numbers resolved to byte ranges, and its serialization.
#include "mime/part_map.hpp"

#include <gtest/gtest.h>

namespace claret::mime {
namespace {

// 1 text/plain, 2 multipart/alternative (2.1, 2.2), 3 message/rfc822 whose message is multipart (3.1, 3.2),
// 4 message/rfc822 with a single-part message.
const std::string kRaw =
    "Subject: outer\r\n"
    "Content-Type: multipart/mixed; boundary=A\r\n"
    "\r\n"
    "--A\r\n"
    "Content-Type: text/plain\r\n"
    "\r\n"
    "one\r\n"
    "--A\r\n"
    "Content-Type: multipart/alternative; boundary=B\r\n"
    "\r\n"
    "--B\r\n"
    "\r\n"
    "two-one\r\n"
    "--B\r\n"
    "Content-Type: text/html\r\n"
    "\r\n"
    "two-two\r\n"
    "--B--\r\n"
    "--A\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: inner\r\n"
    "Content-Type: multipart/mixed; boundary=C\r\n"
    "\r\n"
    "--C\r\n"
    "\r\n"
    "three-one\r\n"
    "--C\r\n"
    "Content-Type: image/png\r\n"
    "\r\n"
    "three-two\r\n"
    "--C--\r\n"
    "--A\r\n"
    "Content-Type: message/rfc822\r\n"
    "\r\n"
    "Subject: single\r\n"
    "\r\n"
    "four\r\n"
    "--A--\r\n";

std::string slice(std::string_view section, const PartMap& map) {
  const auto r = map.find(section);
  if (!r) return "<none>";
  return kRaw.substr(r->offset, r->size);
}

void check(const PartMap& map) {
  EXPECT_EQ(slice("", map), kRaw);
  EXPECT_EQ(slice("HEADER", map), "Subject: outer\r\nContent-Type: multipart/mixed; boundary=A\r\n\r\n");
  EXPECT_EQ(slice("header.fields (Subject)", map), slice("HEADER", map));
  EXPECT_EQ(slice("TEXT", map), kRaw.substr(kRaw.find("--A")));
  EXPECT_EQ(slice("1", map), "one");
  EXPECT_EQ(slice("1.MIME", map), "Content-Type: text/plain\r\n\r\n");
  EXPECT_EQ(slice("2.1", map), "two-one");
  EXPECT_EQ(slice("2.2", map), "two-two");
  EXPECT_EQ(slice("2.2.MIME", map), "Content-Type: text/html\r\n\r\n");
  EXPECT_EQ(slice("3.HEADER", map), "Subject: inner\r\nContent-Type: multipart/mixed; boundary=C\r\n\r\n");
  EXPECT_EQ(slice("3.TEXT", map), "--C\r\n\r\nthree-one\r\n--C\r\nContent-Type: image/png\r\n\r\nthree-two\r\n--C--");
  EXPECT_EQ(slice("3.1", map), "three-one");
  EXPECT_EQ(slice("3.2", map), "three-two");
  EXPECT_EQ(slice("3.2.MIME", map), "Content-Type: image/png\r\n\r\n");
  EXPECT_EQ(slice("3.MIME", map), "Content-Type: message/rfc822\r\n\r\n");
  EXPECT_EQ(slice("4.1", map), "four");  // a non-multipart embedded message: part 1 is its body
  EXPECT_EQ(slice("4.HEADER", map), "Subject: single\r\n\r\n");
  EXPECT_EQ(slice("4.TEXT", map), "four");
  for (std::string_view bad : {"5", "0", "1.1", "2.3", "1.HEADER", "2.TEXT", "MIME", "3.3", "4.2", "1..1", "1.",
                               "FOO", "2.1.1", "3.1.2"})
    EXPECT_EQ(slice(bad, map), "<none>") << bad;
}

TEST(PartMap, NestedMultipartWithMessage) {
  const auto m = parse(kRaw);
  check(PartMap::from_message(m));
}

TEST(PartMap, SerializeRoundTrip) {
  const auto m = parse(kRaw);
  const std::string text = serialize_part_map(m);
  EXPECT_TRUE(text.starts_with("PM1 "));
  auto map = parse_part_map(text);
  ASSERT_TRUE(map.ok()) << map.error().message;
  check(*map);
}

TEST(PartMap, SinglePartMessage) {
  const std::string raw = "Subject: x\r\n\r\nbody\r\n";
  auto map = parse_part_map(serialize_part_map(parse(raw)));
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->find("1"), (ByteRange{14, 6}));
  EXPECT_EQ(map->find("1.MIME"), (ByteRange{0, 14}));
  EXPECT_EQ(map->find("TEXT"), (ByteRange{14, 6}));
  EXPECT_EQ(map->find(""), (ByteRange{0, raw.size()}));
  EXPECT_FALSE(map->find("2").has_value());
}

TEST(PartMap, RejectsCorruptText) {
  for (std::string_view bad : {"", "PM2 1\n-1 L 0 0 0\n", "PM1 2\n-1 L 0 0 0\n", "PM1 1\n0 L 0 0 0\n",
                               "PM1 2\n-1 L 0 0 0\n0 L 0 0 0\n", "PM1 1\n-1 X 0 0 0\n", "PM1 1\n-1 L 0 0\n",
                               "PM1 1\n-1 M 0 0 0\n", "PM1 1\n-1 L 18446744073709551615 1 0\n",
                               "PM1 2\n-1 M 0 0 0\n5 L 0 0 0\n"}) {
    EXPECT_FALSE(parse_part_map(bad).ok()) << bad;
  }
}

}  // namespace
}  // namespace claret::mime
