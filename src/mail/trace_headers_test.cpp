#include "mail/trace_headers.hpp"

#include <gtest/gtest.h>

namespace claret::mail {

TEST(TraceHeaders, Rfc5322Date) {
  EXPECT_EQ(rfc5322_date(0), "Thu, 01 Jan 1970 00:00:00 +0000");
  EXPECT_EQ(rfc5322_date(1764693000), "Tue, 02 Dec 2025 16:30:00 +0000");
}

TEST(TraceHeaders, ReceivedWithTls) {
  ReceivedInfo info{"client.test", "192.0.2.1", "mx.example.test", "ESMTPS", "TLSv1.3 TLS_AES_256_GCM_SHA384",
                    "ABC", "u@example.test", 0};
  EXPECT_EQ(received_header(info),
            "Received: from client.test ([192.0.2.1])\r\n\tby mx.example.test (claret)\r\n"
            "\twith ESMTPS (TLSv1.3 TLS_AES_256_GCM_SHA384) id ABC\r\n\tfor <u@example.test>;\r\n"
            "\tThu, 01 Jan 1970 00:00:00 +0000\r\n");
  EXPECT_EQ(return_path_header(""), "Return-Path: <>\r\n");
}

}  // namespace claret::mail
