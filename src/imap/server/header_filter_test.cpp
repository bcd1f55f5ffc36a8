// Tests for HEADER.FIELDS / HEADER.FIELDS.NOT filtering.
#include "imap/server/header_filter.hpp"

#include <gtest/gtest.h>

namespace claret::imap::server {
namespace {

const char* kHeader =
    "From: a@example.com\r\n"
    "Subject: hello\r\n"
    " folded\r\n"
    "To: b@example.com\r\n"
    "\r\n";

TEST(HeaderFilter, KeepsListedFieldsWithFolding) {
  EXPECT_EQ(filter_header_fields(kHeader, {"SUBJECT", "TO"}, true),
            "Subject: hello\r\n folded\r\nTo: b@example.com\r\n\r\n");
}

TEST(HeaderFilter, DropsListedFieldsForNot) {
  EXPECT_EQ(filter_header_fields(kHeader, {"SUBJECT"}, false), "From: a@example.com\r\nTo: b@example.com\r\n\r\n");
}

TEST(HeaderFilter, NoMatchGivesTheEmptyLine) {
  EXPECT_EQ(filter_header_fields(kHeader, {"X-NONE"}, true), "\r\n");
  EXPECT_EQ(filter_header_fields("", {"FROM"}, true), "\r\n");
  EXPECT_EQ(filter_header_fields("garbage without colon\n", {"garbage without colon"}, true), "\r\n");
}

}  // namespace
}  // namespace claret::imap::server
