// Tests for the DATA reader (RFC 5321 §4.1.1.4, §4.5.2, §2.3.8, §4.5.3.1.6): every input is fed whole, split
// at every position, and byte by byte, and every way must give the same result.
#include "smtp/proto/data_reader.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <vector>

#include "smtp/proto/reply_codes.hpp"

namespace claret::smtp::proto {
namespace {

struct Feed {
  std::string content;
  std::size_t consumed = 0;
  bool done = false;
  ContentSummary summary;
};

bool same(const Feed& a, const Feed& b) {
  const auto& x = a.summary;
  const auto& y = b.summary;
  return a.content == b.content && a.consumed == b.consumed && a.done == b.done && x.size == y.size &&
         x.too_large == y.too_large && x.line_too_long == y.line_too_long && x.longest_line == y.longest_line &&
         x.bare_cr == y.bare_cr && x.bare_lf == y.bare_lf && x.has_8bit == y.has_8bit && x.has_nul == y.has_nul;
}

// Feeds `input` in the given pieces, stopping once the reader reports the end (like a session would).
Feed feed_pieces(std::string_view input, const std::vector<std::size_t>& sizes, ContentLimits limits) {
  DataReader reader(limits);
  Feed run;
  std::size_t pos = 0;
  for (std::size_t size : sizes) {
    std::string_view piece = input.substr(pos, size);
    pos += piece.size();
    std::size_t used = reader.feed(piece);
    run.consumed += used;
    EXPECT_LE(used, piece.size());
    if (reader.done()) break;
    EXPECT_EQ(used, piece.size()) << "reader stopped early without reaching the end";
  }
  run.done = reader.done();
  run.content = reader.content();
  run.summary = reader.summary();
  EXPECT_EQ(reader.feed("more"), reader.done() ? 0u : 4u);
  return run;
}

// Runs whole, at every two-way split and byte by byte; fails the test if any result differs.
Feed run_all_splits(std::string_view input, ContentLimits limits = {}) {
  Feed whole = feed_pieces(input, {input.size()}, limits);
  for (std::size_t p = 0; p <= input.size(); ++p) {
    Feed split = feed_pieces(input, {p, input.size() - p}, limits);
    EXPECT_TRUE(same(whole, split)) << "split at " << p << " of " << testing::PrintToString(std::string(input));
  }
  Feed bytes = feed_pieces(input, std::vector<std::size_t>(input.size() + 1, 1), limits);
  EXPECT_TRUE(same(whole, bytes)) << "byte by byte: " << testing::PrintToString(std::string(input));
  return whole;
}

TEST(DataReader, SimpleMessage) {
  std::string in = "Subject: hi\r\n\r\nbody\r\n.\r\n";
  Feed r = run_all_splits(in);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, in.size());
  EXPECT_EQ(r.content, "Subject: hi\r\n\r\nbody\r\n");
  EXPECT_EQ(r.summary.size, r.content.size());
  EXPECT_FALSE(r.summary.bare_cr || r.summary.bare_lf || r.summary.has_8bit || r.summary.has_nul);
  EXPECT_FALSE(content_rejection(r.summary, false).has_value());
}

TEST(DataReader, EmptyMessageEndsAtFirstLine) {
  // The CRLF ending the DATA command is the first CRLF of <CRLF>.<CRLF>.
  Feed r = run_all_splits(".\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, 3u);
  EXPECT_EQ(r.content, "");
}

TEST(DataReader, NotDoneWithoutTerminator) {
  for (std::string_view in : {"abc\r\n", "abc\r\n.", "abc\r\n.\r", "abc", "", "abc\r\n..\r\n"}) {
    Feed r = run_all_splits(in);
    EXPECT_FALSE(r.done) << in;
    EXPECT_EQ(r.consumed, in.size()) << in;
  }
}

TEST(DataReader, DotStuffingRemoved) {
  struct Case {
    std::string_view wire;
    std::string_view content;
  };
  const Case cases[] = {
      {"..\r\n.\r\n", ".\r\n"},
      {"..foo\r\n.\r\n", ".foo\r\n"},
      {"...\r\n.\r\n", "..\r\n"},
      {"a\r\n..\r\nb\r\n.\r\n", "a\r\n.\r\nb\r\n"},
      {".x\r\n.\r\n", "x\r\n"},  // an unstuffed leading dot is still removed (§4.5.2)
      {"a.b\r\n.c.\r\n.\r\n", "a.b\r\nc.\r\n"},
      {"\r\n\r\n.\r\n", "\r\n\r\n"},
      {". \r\n.\r\n", " \r\n"},
  };
  for (const auto& c : cases) {
    Feed r = run_all_splits(c.wire);
    EXPECT_TRUE(r.done) << c.wire;
    EXPECT_EQ(r.content, c.content) << c.wire;
    EXPECT_EQ(r.consumed, c.wire.size());
  }
}

TEST(DataReader, PipelinedBytesAfterEndAreNotConsumed) {
  std::string in = "hello\r\n.\r\nMAIL FROM:<a@b.example>\r\nRCPT TO:<c@d.example>\r\n";
  Feed r = run_all_splits(in);
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.consumed, std::string("hello\r\n.\r\n").size());
  EXPECT_EQ(r.content, "hello\r\n");
}

TEST(DataReader, SmugglingSequencesNeverEndData) {
  // Each of these ends the data in some other MTA; here none may, and the message must be refused.
  const std::string_view smuggles[] = {
      "\n.\n",    "\n.\r\n",   "\r.\r",    "\r.\n",     "\r\n.\n",   "\r\n.\r",  "\r.\r\n",
      "\n.\r",    "\r\n.\r\r\n", "\n\r.\r\n", "\r\r\n.\n", "\n..\r\n",
  };
  for (std::string_view s : smuggles) {
    std::string in = "Subject: a\r\n\r\nbody";
    in += s;
    in += "MAIL FROM:<evil@example.com>\r\nRCPT TO:<victim@example.com>\r\nDATA\r\n";
    std::string end = "tail\r\n.\r\n";
    Feed r = run_all_splits(in + end);
    EXPECT_TRUE(r.done) << testing::PrintToString(std::string(s));
    EXPECT_EQ(r.consumed, in.size() + end.size()) << testing::PrintToString(std::string(s));
    EXPECT_NE(r.content.find("MAIL FROM:<evil@example.com>"), std::string::npos);
    EXPECT_TRUE(r.summary.bare_lf || r.summary.bare_cr) << testing::PrintToString(std::string(s));
    auto reject = content_rejection(r.summary, false);
    ASSERT_TRUE(reject.has_value());
    EXPECT_EQ(reject->code, code::kMailboxUnavailable);
    EXPECT_EQ(reject->enhanced, enhanced::kContentError);
  }
}

TEST(DataReader, SmugglingAtStartOfData) {
  for (std::string_view in : {".\n", ".\rX\r\n", ".\n.\r\n", "\n.\n", "\r.\r\n"}) {
    Feed r = run_all_splits(in);
    EXPECT_FALSE(r.done) << testing::PrintToString(std::string(in));
    EXPECT_TRUE(r.summary.bare_lf || r.summary.bare_cr);
  }
  Feed r = run_all_splits(".\n\r\n.\r\n");
  EXPECT_TRUE(r.done);
  EXPECT_EQ(r.content, "\n\r\n");  // the dot was not alone on a CRLF line: removed as stuffing
  EXPECT_TRUE(r.summary.bare_lf);
}

TEST(DataReader, BareLineEndingsFlaggedIndividually) {
  Feed lf = run_all_splits("a\nb\r\n.\r\n");
  EXPECT_TRUE(lf.summary.bare_lf);
  EXPECT_FALSE(lf.summary.bare_cr);
  EXPECT_EQ(lf.content, "a\nb\r\n");
  Feed cr = run_all_splits("a\rb\r\n.\r\n");
  EXPECT_TRUE(cr.summary.bare_cr);
  EXPECT_FALSE(cr.summary.bare_lf);
  Feed crcr = run_all_splits("a\r\r\n.\r\n");
  EXPECT_TRUE(crcr.done);
  EXPECT_TRUE(crcr.summary.bare_cr);
  EXPECT_EQ(crcr.content, "a\r\r\n");
}

TEST(DataReader, EightBitAndNul) {
  Feed r = run_all_splits(std::string("caf\xC3\xA9\r\nx\0y\r\n.\r\n", 15));
  EXPECT_TRUE(r.done);
  EXPECT_TRUE(r.summary.has_8bit);
  EXPECT_TRUE(r.summary.has_nul);
  EXPECT_FALSE(content_rejection(r.summary, false).has_value());
}

TEST(DataReader, SizeLimit) {
  ContentLimits limits;
  limits.max_size = 10;
  Feed at = run_all_splits("123456789\r\n.\r\n", ContentLimits{11, 1000});
  EXPECT_FALSE(at.summary.too_large);
  EXPECT_EQ(at.content, "123456789\r\n");

  std::string in = "0123456789abcdef\r\n..more\r\n.\r\nQUIT\r\n";
  Feed over = run_all_splits(in, limits);
  EXPECT_TRUE(over.done);
  EXPECT_TRUE(over.summary.too_large);
  EXPECT_EQ(over.summary.size, std::string("0123456789abcdef\r\n.more\r\n").size());
  EXPECT_EQ(over.content, "");  // storage stopped and released
  EXPECT_EQ(over.consumed, in.size() - 6);
  auto reject = content_rejection(over.summary, false);
  ASSERT_TRUE(reject.has_value());
  EXPECT_EQ(reject->code, code::kExceededStorage);
  EXPECT_EQ(reject->enhanced, enhanced::kMessageTooBig);
}

TEST(DataReader, LineLengthLimit) {
  std::string ok(998, 'x');
  Feed r1 = run_all_splits(ok + "\r\n.\r\n");
  EXPECT_FALSE(r1.summary.line_too_long);
  EXPECT_EQ(r1.summary.longest_line, 1000u);

  std::string bad(999, 'x');
  Feed r2 = feed_pieces(bad + "\r\n.\r\n", {1001, 3}, {});
  EXPECT_TRUE(r2.done);
  EXPECT_TRUE(r2.summary.line_too_long);
  EXPECT_EQ(r2.summary.longest_line, 1001u);
  EXPECT_FALSE(content_rejection(r2.summary, false).has_value());  // reported, left to policy

  // The stuffed dot does not count (§4.5.3.1.6).
  std::string stuffed = ".." + std::string(997, 'x') + "\r\n.\r\n";
  Feed r3 = feed_pieces(stuffed, {stuffed.size()}, {});
  EXPECT_TRUE(r3.done);
  EXPECT_FALSE(r3.summary.line_too_long);

  // An endless line is reported before its end arrives.
  DataReader reader(ContentLimits{0, 1000});
  std::string endless(5000, 'y');
  EXPECT_EQ(reader.feed(endless), endless.size());
  EXPECT_TRUE(reader.summary().line_too_long);
  EXPECT_FALSE(reader.done());

  Feed unlimited = feed_pieces(bad + "\r\n.\r\n", {2000}, ContentLimits{0, 0});
  EXPECT_FALSE(unlimited.summary.line_too_long);
}

TEST(DataReader, StreamingTakeContent) {
  std::string in = "line one\r\n..two\r\nthree\r\n.\r\n";
  DataReader reader({});
  std::string out;
  for (char c : in) {
    reader.feed(std::string_view(&c, 1));
    out += reader.take_content();
  }
  EXPECT_TRUE(reader.done());
  EXPECT_EQ(out, "line one\r\n.two\r\nthree\r\n");
}

// Reference model: the data ends at the first <CRLF>.<CRLF> counting the CRLF of the DATA command, and a dot
// at the start of any CRLF-delimited line inside the data is removed.
struct Reference {
  bool done = false;
  std::size_t consumed = 0;
  std::string content;
};

Reference reference(std::string_view input) {
  std::string s = "\r\n" + std::string(input);
  Reference ref;
  std::size_t end = s.find("\r\n.\r\n");
  if (end == std::string::npos) return ref;
  ref.done = true;
  ref.consumed = end + 3;
  std::string_view data = std::string_view(s).substr(2, end);  // includes the CRLF before the final dot
  for (std::size_t i = 0; i < data.size(); ++i) {
    bool line_start = i == 0 || (i >= 2 && data[i - 2] == '\r' && data[i - 1] == '\n');
    if (line_start && data[i] == '.') continue;
    ref.content += data[i];
  }
  return ref;
}

TEST(DataReader, MatchesReferenceOnRandomInputs) {
  // Inputs over the bytes that matter ('\r', '\n', '.') plus one ordinary byte; deterministic generator.
  const char alphabet[] = {'\r', '\n', '.', 'a'};
  std::uint32_t state = 12345;
  auto next = [&] {
    state = state * 1664525u + 1013904223u;
    return state >> 16;
  };
  for (int n = 0; n < 4000; ++n) {
    std::string in;
    std::size_t len = next() % 24;
    for (std::size_t i = 0; i < len; ++i) in += alphabet[next() % 4];
    Reference ref = reference(in);
    Feed whole = feed_pieces(in, {in.size()}, ContentLimits{0, 0});
    Feed bytes = feed_pieces(in, std::vector<std::size_t>(in.size() + 1, 1), ContentLimits{0, 0});
    ASSERT_TRUE(same(whole, bytes)) << testing::PrintToString(in);
    ASSERT_EQ(whole.done, ref.done) << testing::PrintToString(in);
    if (ref.done) {
      ASSERT_EQ(whole.consumed, ref.consumed) << testing::PrintToString(in);
      ASSERT_EQ(whole.content, ref.content) << testing::PrintToString(in);
    }
  }
}

// Round trip over the shared corpus: normalise to CRLF, dot-stuff, feed in uneven chunks, and expect the
// normalised message back.
std::string to_crlf(std::string_view text) {
  std::string out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    std::string_view line = text.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    out += line;
    out += "\r\n";
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

std::string dot_stuff(std::string_view crlf_text) {
  std::string out;
  bool line_start = true;
  for (std::size_t i = 0; i < crlf_text.size(); ++i) {
    if (line_start && crlf_text[i] == '.') out += '.';
    out += crlf_text[i];
    line_start = crlf_text[i] == '\n' && i > 0 && crlf_text[i - 1] == '\r';
  }
  return out;
}

TEST(DataReader, CorpusRoundTrip) {
  std::ifstream manifest(std::string(CLARET_SHARED_DIR) + "/corpus/MANIFEST.tsv");
  ASSERT_TRUE(manifest.good());
  std::string row;
  std::getline(manifest, row);  // header
  const std::size_t chunk_sizes[] = {1, 7, 64, 1000, 4096, 3, 65536, 2};
  int checked = 0;
  while (std::getline(manifest, row)) {
    std::istringstream fields(row);
    std::string file, kind;
    std::getline(fields, file, '\t');
    std::getline(fields, kind, '\t');
    if (kind != "message") continue;
    std::ifstream f(std::string(CLARET_SHARED_DIR) + "/corpus/" + file, std::ios::binary);
    ASSERT_TRUE(f.good()) << file;
    std::string raw((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    std::string message = to_crlf(raw);
    std::string wire = dot_stuff(message) + ".\r\n";
    std::vector<std::size_t> sizes;
    for (std::size_t total = 0, k = static_cast<std::size_t>(checked); total < wire.size(); ++k) {
      sizes.push_back(chunk_sizes[k % std::size(chunk_sizes)]);
      total += sizes.back();
    }
    Feed r = feed_pieces(wire, sizes, ContentLimits{0, 0});
    ASSERT_TRUE(r.done) << file;
    EXPECT_EQ(r.consumed, wire.size()) << file;
    EXPECT_TRUE(r.content == message) << file;
    EXPECT_FALSE(r.summary.bare_lf) << file;
    ++checked;
  }
  EXPECT_GT(checked, 600);
}

}  // namespace
}  // namespace claret::smtp::proto
