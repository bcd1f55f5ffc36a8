// Tests for the BDAT chunk accumulator (RFC 3030 §2-§3), fed at every chunk split and byte by byte.
#include "smtp/proto/bdat_reader.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {
namespace {

struct Chunk {
  std::string_view bytes;
  bool last;
};

struct Outcome {
  std::string content;
  bool complete = false;
  std::size_t leftover = 0;  // bytes after the last chunk not consumed
  ContentSummary summary;
};

// Sends each chunk as "BDAT n [LAST]" + its bytes, delivering the wire bytes in pieces of `piece` octets
// (0 = each chunk whole), with `trailer` (the next pipelined command) after the last chunk.
Outcome run(const std::vector<Chunk>& chunks, std::size_t piece, ContentLimits limits, std::string_view trailer) {
  BdatReader reader(limits);
  Outcome out;
  for (std::size_t i = 0; i < chunks.size(); ++i) {
    const auto& c = chunks[i];
    EXPECT_TRUE(reader.begin_chunk(c.bytes.size(), c.last).ok());
    std::string wire(c.bytes);
    if (i + 1 == chunks.size()) wire += trailer;
    std::string_view rest = wire;
    while (!reader.chunk_complete()) {
      std::size_t n = piece == 0 ? rest.size() : std::min(piece, rest.size());
      std::size_t used = reader.feed(rest.substr(0, n));
      EXPECT_LE(used, n);
      rest.remove_prefix(used);
      if (used == 0) break;
    }
    out.leftover = rest.size();
  }
  out.complete = reader.message_complete();
  out.content = reader.content();
  out.summary = reader.summary();
  return out;
}

TEST(BdatReader, ExactCountsWithoutDotStuffing) {
  std::vector<Chunk> chunks{{"Subject: x\r\n\r\n..not stuffed\r\n", false}, {".\r\n", false}, {"end\r\n", true}};
  for (std::size_t piece : {0, 1, 2, 3, 5, 100}) {
    Outcome o = run(chunks, piece, {}, "QUIT\r\n");
    EXPECT_TRUE(o.complete) << piece;
    EXPECT_EQ(o.content, "Subject: x\r\n\r\n..not stuffed\r\n.\r\nend\r\n") << piece;
    EXPECT_EQ(o.leftover, 6u) << piece;
    EXPECT_EQ(o.summary.size, o.content.size());
  }
}

TEST(BdatReader, EveryTwoWaySplitOfAChunk) {
  std::string chunk = "a\r\nb\r\n\xC3\xA9\r\n";
  std::string wire = chunk + "NOOP\r\n";
  for (std::size_t p = 0; p <= wire.size(); ++p) {
    BdatReader reader({});
    ASSERT_TRUE(reader.begin_chunk(chunk.size(), true).ok());
    std::size_t used = reader.feed(std::string_view(wire).substr(0, p));
    used += reader.feed(std::string_view(wire).substr(used));
    EXPECT_EQ(used, chunk.size()) << p;
    EXPECT_TRUE(reader.message_complete()) << p;
    EXPECT_EQ(reader.content(), chunk) << p;
    EXPECT_TRUE(reader.summary().has_8bit);
  }
}

TEST(BdatReader, ZeroLengthLast) {
  BdatReader reader({});
  ASSERT_TRUE(reader.begin_chunk(4, false).ok());
  EXPECT_EQ(reader.feed("abcd"), 4u);
  EXPECT_FALSE(reader.message_complete());
  ASSERT_TRUE(reader.begin_chunk(0, true).ok());
  EXPECT_TRUE(reader.message_complete());
  EXPECT_EQ(reader.content(), "abcd");
  EXPECT_EQ(reader.feed("x"), 0u);
}

TEST(BdatReader, SequenceErrors) {
  BdatReader reader({});
  ASSERT_TRUE(reader.begin_chunk(10, false).ok());
  EXPECT_EQ(reader.feed("12345"), 5u);
  EXPECT_EQ(reader.chunk_remaining(), 5u);
  auto early = reader.begin_chunk(1, true);
  ASSERT_FALSE(early.ok());
  EXPECT_EQ(early.error().code, code::kBadSequence);
  EXPECT_EQ(reader.feed("67890"), 5u);
  ASSERT_TRUE(reader.begin_chunk(1, true).ok());
  EXPECT_EQ(reader.feed("!"), 1u);
  auto after = reader.begin_chunk(1, false);
  ASSERT_FALSE(after.ok());
  EXPECT_EQ(after.error().code, code::kBadSequence);
}

TEST(BdatReader, SizeLimitStillConsumesChunk) {
  std::vector<Chunk> chunks{{"0123456789", false}, {"abcdefghij", true}};
  Outcome o = run(chunks, 3, ContentLimits{15, 1000}, "RSET\r\n");
  EXPECT_TRUE(o.complete);
  EXPECT_TRUE(o.summary.too_large);
  EXPECT_EQ(o.summary.size, 20u);
  EXPECT_EQ(o.content, "");
  EXPECT_EQ(o.leftover, 6u);
  auto reject = content_rejection(o.summary, true);
  ASSERT_TRUE(reject.has_value());
  EXPECT_EQ(reject->code, code::kExceededStorage);
}

TEST(BdatReader, BareLineEndingsAcrossChunks) {
  // A CR at the end of one chunk and LF at the start of the next is a proper CRLF.
  Outcome joined = run({{"a\r", false}, {"\nb\r\n", true}}, 0, {}, "");
  EXPECT_FALSE(joined.summary.bare_cr);
  EXPECT_FALSE(joined.summary.bare_lf);

  Outcome bare = run({{"a\nb\r\n", false}, {"c\rd\r", true}}, 1, {}, "");
  EXPECT_TRUE(bare.summary.bare_lf);
  EXPECT_TRUE(bare.summary.bare_cr);
  EXPECT_TRUE(content_rejection(bare.summary, false).has_value());   // BODY=8BITMIME over BDAT
  EXPECT_FALSE(content_rejection(bare.summary, true).has_value());   // BODY=BINARYMIME

  Outcome trailing_cr = run({{"a\r\nb\r", true}}, 0, {}, "");
  EXPECT_TRUE(trailing_cr.summary.bare_cr);
}

}  // namespace
}  // namespace claret::smtp::proto
