// Tests for the DKIM body hash and header selection (RFC 6376 §3.7, §5.4.2).
#include "mailauth/dkim_hash.hpp"

#include <gtest/gtest.h>

#include "base/base64.hpp"

namespace claret::mailauth {
namespace {

std::string bh(Canon c, std::string_view body, std::optional<uint64_t> l = std::nullopt) {
  auto h = body_hash(c, body, l);
  return h ? base64_encode(*h) : "error: " + h.error().message;
}

TEST(BodyHash, KnownValues) {
  // SHA-256 of "" and of CRLF: the hashes of an empty body under relaxed and simple (RFC 6376 §3.4.3/§3.4.4).
  EXPECT_EQ(bh(Canon::relaxed, ""), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  EXPECT_EQ(bh(Canon::simple, ""), "frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=");
  EXPECT_EQ(bh(Canon::relaxed, "\r\n\r\n"), "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=");
  // The RFC 8463 Appendix A body ("Hi.", "We lost the game.  Are you hungry yet?", "Joe.") under simple.
  EXPECT_EQ(bh(Canon::simple, "Hi.\r\n\r\nWe lost the game.  Are you hungry yet?\r\n\r\nJoe.\r\n\r\n"),
            "4bLNXImK9drULnmePzZNEBleUanJCX5PIsDIFoH4KTQ=");
  // Relaxed: whitespace differences do not change the hash.
  EXPECT_EQ(bh(Canon::relaxed, "a  b \r\nc\r\n"), bh(Canon::relaxed, "a\tb\r\nc\r\n\r\n"));
}

TEST(BodyHash, LengthLimit) {
  EXPECT_EQ(bh(Canon::relaxed, "abc\r\ndef\r\n", 5), bh(Canon::relaxed, "abc\r\n"));
  EXPECT_EQ(bh(Canon::relaxed, "abc\r\n", 0), bh(Canon::relaxed, ""));
  EXPECT_EQ(bh(Canon::relaxed, "abc\r\n", 6).rfind("error", 0), 0u);
}

TEST(SignedHeaderData, SelectsBottomUpAndSkipsMissing) {
  auto s = split_message("Received: 1\r\nX: first\r\nFrom: f\r\nX: second\r\n\r\n");
  std::string data = signed_header_data(Canon::relaxed, s.fields, {"x", "From", "X", "x", "missing"},
                                        "DKIM-Signature: v=1; b=");
  EXPECT_EQ(data, "x:second\r\nfrom:f\r\nx:first\r\ndkim-signature:v=1; b=");
}

}  // namespace
}  // namespace claret::mailauth
