// Tests for the RETR/TOP encoder (RFC 1939 §3 byte-stuffing and termination, §7 TOP): every chunk split, corpus
// round trip through a client-side decoder.
#include "pop3/proto/message_encoder.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

namespace claret::pop3::proto {
namespace {

std::string encode_whole(std::string_view msg, std::optional<std::uint64_t> lines = std::nullopt) {
  MessageEncoder e(lines);
  std::string out = e.encode(msg);
  return out + e.finish();
}

std::string encode_split(std::string_view msg, std::size_t a, std::size_t b,
                         std::optional<std::uint64_t> lines = std::nullopt) {
  MessageEncoder e(lines);
  std::string out = e.encode(msg.substr(0, a));
  out += e.encode(msg.substr(a, b - a));
  out += e.encode(msg.substr(b));
  return out + e.finish();
}

// What a client does: undo stuffing up to the ".\r\n" line.
std::string decode(std::string_view wire) {
  std::string out;
  std::size_t pos = 0;
  while (pos < wire.size()) {
    auto eol = wire.find("\r\n", pos);
    if (eol == std::string_view::npos) return "<unterminated>";
    auto line = wire.substr(pos, eol - pos);
    pos = eol + 2;
    if (line == ".") return pos == wire.size() ? out : "<data after terminator>";
    if (!line.empty() && line[0] == '.') line.remove_prefix(1);
    out.append(line.data(), line.size());
    out += "\r\n";
  }
  return "<no terminator>";
}

TEST(Pop3MessageEncoder, CrlfMessageIsByteExactApartFromStuffing) {
  std::string msg = "Subject: x\r\n\r\nline\r\n.\r\n..two\r\n.end\r\n";
  EXPECT_EQ(encode_whole(msg), "Subject: x\r\n\r\nline\r\n..\r\n...two\r\n..end\r\n.\r\n");
  EXPECT_EQ(decode(encode_whole(msg)), msg);
}

TEST(Pop3MessageEncoder, EmptyAndUnterminatedMessages) {
  EXPECT_EQ(encode_whole(""), ".\r\n");
  EXPECT_EQ(encode_whole("a"), "a\r\n.\r\n");
  EXPECT_EQ(encode_whole("."), "..\r\n.\r\n");
  EXPECT_EQ(encode_whole("a\r"), "a\r\n.\r\n");
}

TEST(Pop3MessageEncoder, BareLineFeedsBecomeCrlfBareCrStays) {
  EXPECT_EQ(encode_whole("a\nb\n.c\n"), "a\r\nb\r\n..c\r\n.\r\n");
  EXPECT_EQ(encode_whole("a\rb\r\n"), "a\rb\r\n.\r\n");
  EXPECT_EQ(encode_whole("\r.x\r\n"), "\r.x\r\n.\r\n");  // not at line start: no stuffing
}

TEST(Pop3MessageEncoder, TopSendsHeaderBlankLineAndNBodyLines) {
  std::string msg = "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n";
  EXPECT_EQ(encode_whole(msg, 0), "A: 1\r\nB: 2\r\n\r\n.\r\n");
  EXPECT_EQ(encode_whole(msg, 2), "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n");
  EXPECT_EQ(encode_whole(msg, 3), encode_whole(msg));
  EXPECT_EQ(encode_whole(msg, 1000000), encode_whole(msg));
  // No body at all: the whole message.
  EXPECT_EQ(encode_whole("A: 1\r\nB: 2\r\n", 0), "A: 1\r\nB: 2\r\n.\r\n");
  // Empty body lines count as lines.
  EXPECT_EQ(encode_whole("A: 1\r\n\r\n\r\n\r\nx\r\n", 2), "A: 1\r\n\r\n\r\n\r\n.\r\n");
}

TEST(Pop3MessageEncoder, DoneStopsTheReader) {
  MessageEncoder e(1);
  EXPECT_FALSE(e.done());
  std::string out = e.encode("A: 1\r\n\r\nbody\r\nmore\r\n");
  EXPECT_TRUE(e.done());
  EXPECT_EQ(e.encode("ignored\r\n"), "");
  EXPECT_EQ(out + e.finish(), "A: 1\r\n\r\nbody\r\n.\r\n");
}

TEST(Pop3MessageEncoder, EveryChunkSplitGivesTheSameOutput) {
  const std::string msg = "From: a\r\n.Dot: h\r\n\r\n.\r\n\r\n..\r\nx\ry\n.z\r\n.";
  for (std::optional<std::uint64_t> lines : {std::optional<std::uint64_t>(), std::optional<std::uint64_t>(0),
                                              std::optional<std::uint64_t>(2), std::optional<std::uint64_t>(4)}) {
    const std::string whole = encode_whole(msg, lines);
    for (std::size_t a = 0; a <= msg.size(); ++a)
      for (std::size_t b = a; b <= msg.size(); ++b)
        ASSERT_EQ(encode_split(msg, a, b, lines), whole) << a << "," << b;
  }
}

// RETR copies whole runs between insertions; TOP walks line by line. With a line limit never reached they must
// agree on any input, split anywhere.
TEST(Pop3MessageEncoder, RetrFastPathAgreesWithTheLineByLinePath) {
  std::mt19937 rng(42);
  const char alphabet[] = {'\r', '\n', '.', 'a', 'b'};
  for (int round = 0; round < 3000; ++round) {
    std::string msg;
    std::size_t len = rng() % 24;
    for (std::size_t i = 0; i < len; ++i) msg += alphabet[rng() % sizeof alphabet];
    const std::string reference = encode_whole(msg, std::uint64_t{1} << 60);
    std::size_t a = rng() % (len + 1);
    std::size_t b = a + rng() % (len - a + 1);
    ASSERT_EQ(encode_split(msg, a, b), reference) << round;
  }
}

// The in-place RETR path (the message already in the response buffer after its status line) gives the encoder's
// bytes on any input, whether it takes the check-only path or re-encodes.
TEST(Pop3MessageEncoder, InPlaceAgreesWithTheEncoder) {
  for (std::string msg : {"", "a", ".", "a\r", "\r\n", "\n", ".\r\n", "a\r\n.b\r\n", "a\nb\r\n", "a\r\nb",
                          "a\r\r\n", "x\ry\r\n", "Subject: x\r\n\r\nbody\r\n"}) {
    const std::string status = "+OK status\r\n";
    std::string out = status + msg;
    encode_whole_in_place(out, status.size());
    EXPECT_EQ(out, status + encode_whole(msg)) << msg;
  }
  EXPECT_TRUE(is_transfer_ready(""));
  EXPECT_TRUE(is_transfer_ready("a\r\n\r\nb\rc\r\n"));
  EXPECT_FALSE(is_transfer_ready("a\r\n.b\r\n"));
  EXPECT_FALSE(is_transfer_ready("a\nb\r\n"));
  EXPECT_FALSE(is_transfer_ready("a\r\nb"));
  std::mt19937 rng(7);
  const char alphabet[] = {'\r', '\n', '.', 'a'};
  for (int round = 0; round < 5000; ++round) {
    std::string msg;
    std::size_t len = rng() % 20;
    for (std::size_t i = 0; i < len; ++i) msg += alphabet[rng() % sizeof alphabet];
    std::string out = "+OK\r\n" + msg;
    encode_whole_in_place(out, 5);
    ASSERT_EQ(out, "+OK\r\n" + encode_whole(msg)) << round;
    const std::string plain = encode_whole(msg);
    ASSERT_EQ(is_transfer_ready(msg), plain == msg + ".\r\n") << round;
  }
}

TEST(Pop3MessageEncoder, CorpusRoundTripsThroughAClientDecoder) {
  const auto root = std::filesystem::path(CLARET_SHARED_DIR) / "corpus";
  std::size_t checked = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".eml") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    std::string raw = ss.str();
    // Stored messages use CRLF (claret normalises at delivery); do the same here.
    std::string msg;
    for (std::size_t i = 0; i < raw.size(); ++i) {
      if (raw[i] == '\n' && (i == 0 || raw[i - 1] != '\r')) msg += '\r';
      msg += raw[i];
    }
    if (!msg.empty() && msg.back() != '\n') msg += "\r\n";
    // In chunks of 4 KiB, as the server streams blobs.
    MessageEncoder e;
    std::string wire;
    for (std::size_t off = 0; off < msg.size(); off += 4096) wire += e.encode(std::string_view(msg).substr(off, 4096));
    wire += e.finish();
    ASSERT_EQ(decode(wire), msg) << entry.path();
    std::string in_place = "+OK\r\n" + msg;
    encode_whole_in_place(in_place, 5);
    ASSERT_EQ(in_place, "+OK\r\n" + wire) << entry.path();
    ++checked;
  }
  EXPECT_GT(checked, 100u);
}

}  // namespace
}  // namespace claret::pop3::proto
