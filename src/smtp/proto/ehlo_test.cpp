// Tests for the EHLO/HELO reply builder (RFC 5321 §4.1.1.1 and the extension RFCs it advertises).
#include "smtp/proto/ehlo.hpp"

#include <gtest/gtest.h>

namespace claret::smtp::proto {
namespace {

TEST(Ehlo, AllCapabilities) {
  Capabilities caps;
  caps.pipelining = true;
  caps.size = 52428800;
  caps.eight_bit_mime = true;
  caps.smtputf8 = true;
  caps.enhanced_status_codes = true;
  caps.chunking = true;
  caps.binary_mime = true;
  caps.dsn = true;
  caps.starttls = true;
  caps.auth_mechanisms = {"plain", "LOGIN"};
  EXPECT_EQ(ehlo_reply("mx.example.com", "Hello client.example [192.0.2.1]", caps).serialize(),
            "250-mx.example.com Hello client.example [192.0.2.1]\r\n"
            "250-PIPELINING\r\n"
            "250-SIZE 52428800\r\n"
            "250-8BITMIME\r\n"
            "250-SMTPUTF8\r\n"
            "250-ENHANCEDSTATUSCODES\r\n"
            "250-CHUNKING\r\n"
            "250-BINARYMIME\r\n"
            "250-DSN\r\n"
            "250-STARTTLS\r\n"
            "250 AUTH PLAIN LOGIN\r\n");
}

TEST(Ehlo, NoCapabilities) {
  EXPECT_EQ(ehlo_reply("mx.example.com", "", {}).serialize(), "250 mx.example.com\r\n");
}

TEST(Ehlo, SizeWithoutLimitAndBinaryMimeNeedsChunking) {
  Capabilities caps;
  caps.size = 0;
  caps.binary_mime = true;  // not advertised without CHUNKING (RFC 3030 §3)
  EXPECT_EQ(ehlo_reply("mx", "hi", caps).serialize(), "250-mx hi\r\n250 SIZE\r\n");
}

TEST(Helo, SingleLineNoEnhancedCode) {
  EXPECT_EQ(helo_reply("mx.example.com", "Hello there").serialize(), "250 mx.example.com Hello there\r\n");
}

}  // namespace
}  // namespace claret::smtp::proto
