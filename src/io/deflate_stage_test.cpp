// Tests for DeflateStage: round trips with a sync flush per write, input split at every byte, a deflate bomb
// inflated in bounded steps, corrupt input, and what one compressed connection costs in zlib memory.
#include "io/deflate_stage.hpp"

#include <gtest/gtest.h>

#include <string>

namespace claret::io {
namespace {

std::unique_ptr<DeflateStage> make_stage() {
  auto stage = DeflateStage::create();
  EXPECT_TRUE(stage.ok());
  return std::move(*stage);
}

// Inflates everything the stage holds, in steps of at most `step` bytes.
std::string drain(DeflateStage& stage, std::size_t step = 16 * 1024) {
  std::string out;
  while (stage.has_pending_input()) {
    auto got = stage.inflate_into(out, step);
    EXPECT_TRUE(got.ok());
    if (!got) break;
  }
  return out;
}

TEST(DeflateStage, EachWriteIsDecompressibleOnItsOwn) {
  auto server = make_stage();
  auto client = make_stage();
  const std::string replies[] = {"* OK first\r\n", "a1 OK [READ-WRITE] SELECT completed\r\n", std::string(100000, 'x')};
  for (const std::string& reply : replies) {
    std::string wire;
    ASSERT_TRUE(server->deflate_into(reply, wire));
    ASSERT_FALSE(wire.empty());
    client->feed(wire);
    // The sync flush makes every byte of this write available without waiting for the next one.
    EXPECT_EQ(drain(*client), reply);
  }
}

TEST(DeflateStage, InputSplitAtEveryByteGivesTheSameText) {
  auto sender = make_stage();
  auto receiver = make_stage();
  std::string text;
  for (int i = 0; i < 200; ++i) text += "a" + std::to_string(i) + " FETCH 1:* (FLAGS BODY.PEEK[HEADER])\r\n";
  std::string wire;
  ASSERT_TRUE(sender->deflate_into(text, wire));
  std::string got;
  for (char byte : wire) {
    receiver->feed(std::string_view(&byte, 1));
    got += drain(*receiver, 7);  // odd output steps too
  }
  EXPECT_EQ(got, text);
  EXPECT_FALSE(receiver->has_pending_input());
}

TEST(DeflateStage, BombIsInflatedInBoundedSteps) {
  auto sender = make_stage();
  auto receiver = make_stage();
  const std::size_t inflated_size = 64 * 1024 * 1024;  // one line without LF
  std::string wire;
  const std::string mib(1024 * 1024, 'A');
  for (std::size_t i = 0; i < inflated_size / mib.size(); ++i) {
    std::string part;
    ASSERT_TRUE(sender->deflate_into(mib, part));
    wire += part;
  }
  ASSERT_LT(wire.size(), inflated_size / 500);  // a real bomb: well over 500:1
  receiver->feed(wire);
  std::size_t memory_after_first = 0;  // inflate allocates its 32 KiB window at the first call
  std::size_t total = 0;
  std::string out;
  while (receiver->has_pending_input()) {
    out.clear();
    auto got = receiver->inflate_into(out, 16 * 1024);
    ASSERT_TRUE(got.ok());
    ASSERT_LE(*got, 16u * 1024);
    ASSERT_EQ(out.size(), *got);
    total += *got;
    if (memory_after_first == 0) memory_after_first = receiver->zlib_memory();
  }
  EXPECT_EQ(total, inflated_size);
  EXPECT_EQ(receiver->zlib_memory(), memory_after_first);  // zlib's state does not grow with the output
}

TEST(DeflateStage, CorruptInputIsAnError) {
  auto receiver = make_stage();
  receiver->feed(std::string("\xff\xff\xff\xff garbage", 12));
  std::string out;
  auto got = receiver->inflate_into(out, 1024);
  ASSERT_FALSE(got.ok());
  EXPECT_NE(got.error().message.find("inflate"), std::string::npos) << got.error().message;
}

TEST(DeflateStage, NeedsMoreInputIsNotAnError) {
  auto receiver = make_stage();
  std::string out;
  auto got = receiver->inflate_into(out, 1024);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, 0u);
  EXPECT_FALSE(receiver->has_pending_input());
}

TEST(DeflateStage, OneCompressedConnectionCostsAboutAHundredKiB) {
  auto stage = make_stage();
  // deflate's memory is allocated at init; inflate allocates its 32 KiB window on first use.
  std::string wire;
  ASSERT_TRUE(stage->deflate_into("hello\r\n", wire));
  stage->feed(wire);
  EXPECT_EQ(drain(*stage), "hello\r\n");
  const std::size_t bytes = stage->zlib_memory();
  std::printf("zlib memory of one compressed connection: %zu bytes\n", bytes);
  EXPECT_GT(bytes, 80u * 1024);
  EXPECT_LT(bytes, 140u * 1024);
}

}  // namespace
}  // namespace claret::io
