// SMTP message content framing (src/smtp/proto): DATA (end of data, dot-stuffing, smuggling defence) and BDAT.
// Invariants: the result does not depend on how the bytes are split into reads; the data ends only at
// <CRLF>.<CRLF>; dot-stuffed content always comes back exactly; BDAT keeps exactly the announced octets.
#include <string>

#include "fuzz_support.hpp"
#include "smtp/proto/bdat_reader.hpp"
#include "smtp/proto/data_reader.hpp"

namespace {

using namespace claret::smtp::proto;

struct DataRun {
  std::size_t used = 0;
  bool done = false;
  std::string content;
  ContentSummary summary;
};

// Feeds `bytes` in pieces of `piece` octets (0: all at once), taking the content piecewise as a server does.
DataRun run_data(std::string_view bytes, std::size_t piece, ContentLimits limits) {
  DataReader reader(limits);
  DataRun run;
  std::size_t pos = 0;
  while (pos < bytes.size() && !reader.done()) {
    const std::size_t n = piece == 0 ? bytes.size() - pos : std::min(piece, bytes.size() - pos);
    const std::size_t used = reader.feed(bytes.substr(pos, n));
    FUZZ_CHECK(used <= n);
    run.content += reader.take_content();
    pos += used;
    if (used < n) {
      FUZZ_CHECK(reader.done());
      break;
    }
  }
  if (reader.done()) FUZZ_CHECK(reader.feed(bytes.substr(pos)) == 0);
  run.used = pos;
  run.done = reader.done();
  run.content += reader.take_content();
  run.summary = reader.summary();
  return run;
}

bool same_summary(const ContentSummary& a, const ContentSummary& b) {
  return a.size == b.size && a.too_large == b.too_large && a.line_too_long == b.line_too_long &&
         a.longest_line == b.longest_line && a.bare_cr == b.bare_cr && a.bare_lf == b.bare_lf &&
         a.has_8bit == b.has_8bit && a.has_nul == b.has_nul;
}

void fuzz_data(std::string_view bytes, std::size_t piece, ContentLimits limits) {
  const DataRun whole = run_data(bytes, 0, limits);
  if (whole.done) {
    const std::string_view used = bytes.substr(0, whole.used);
    // The DATA command's CRLF is the first CRLF of <CRLF>.<CRLF>, so ".\r\n" alone ends an empty message.
    FUZZ_CHECK(used == ".\r\n" || (used.size() >= 5 && used.substr(used.size() - 5) == "\r\n.\r\n"));
    FUZZ_CHECK(whole.content.size() <= whole.used);
  } else {
    FUZZ_CHECK(whole.used == bytes.size());
  }
  if (limits.max_size == 0) FUZZ_CHECK(!whole.summary.too_large);
  if (!whole.summary.too_large) FUZZ_CHECK(whole.summary.size == whole.content.size());
  const DataRun split = run_data(bytes, piece, limits);
  FUZZ_CHECK(split.used == whole.used);
  FUZZ_CHECK(split.done == whole.done);
  // Once too large, storage stops and what was taken before is the caller's to drop: compare only kept content.
  if (!whole.summary.too_large) FUZZ_CHECK(split.content == whole.content);
  FUZZ_CHECK(same_summary(split.summary, whole.summary));
}

// Any text sent the way a client must send it (CRLF lines, leading dots doubled, then ".") comes back as is.
void fuzz_dot_stuffing(std::string_view text, std::size_t piece) {
  std::string message;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(start, end - start);
    std::string clean;
    for (char c : line)
      if (c != '\r') clean += c;
    message += clean + "\r\n";
    start = end + 1;
  }
  std::string wire;
  std::size_t pos = 0;
  while (pos < message.size()) {
    const std::size_t end = message.find("\r\n", pos) + 2;
    if (message[pos] == '.') wire += '.';
    wire.append(message, pos, end - pos);
    pos = end;
  }
  wire += ".\r\n";
  wire += "QUIT\r\n";  // a pipelined command, not part of the data
  const DataRun run = run_data(wire, piece, ContentLimits{0, 0});
  FUZZ_CHECK(run.done);
  FUZZ_CHECK(run.used == wire.size() - 6);
  FUZZ_CHECK(run.content == message);
  FUZZ_CHECK(!run.summary.bare_cr && !run.summary.bare_lf);
}

// BDAT: chunk sizes come from the input, then the bytes.
void fuzz_bdat(claret::fuzz::Reader& in, std::string_view bytes_source, ContentLimits limits) {
  BdatReader reader(limits);
  std::string expected;
  std::string got;
  std::string_view bytes = bytes_source;
  for (int chunk = 0; chunk < 8; ++chunk) {
    const std::uint64_t size = in.byte() % 64;
    const bool last = (in.byte() & 3) == 0 || chunk == 7;
    FUZZ_CHECK(reader.begin_chunk(size, last).ok());
    if (size > 0) FUZZ_CHECK(!reader.begin_chunk(1, false).ok());  // a chunk is still open
    std::size_t taken = 0;
    while (!reader.chunk_complete() && !bytes.empty()) {
      const std::size_t piece = std::min<std::size_t>(bytes.size(), 1 + in.byte() % 16);
      const std::size_t used = reader.feed(bytes.substr(0, piece));
      FUZZ_CHECK(used <= piece);
      expected.append(bytes.substr(0, used));
      taken += used;
      bytes.remove_prefix(used);
      got += reader.take_content();
      if (used < piece) FUZZ_CHECK(reader.chunk_complete());
    }
    FUZZ_CHECK(taken <= size);
    if (!reader.chunk_complete()) break;  // ran out of bytes
    if (last) {
      FUZZ_CHECK(reader.message_complete());
      FUZZ_CHECK(!reader.begin_chunk(1, false).ok());
      break;
    }
  }
  got += reader.take_content();
  if (!reader.summary().too_large) FUZZ_CHECK(got == expected);
  FUZZ_CHECK(reader.summary().size == expected.size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::uint8_t mode = in.byte();
  const std::size_t piece = 1 + in.byte() % 32;
  ContentLimits limits;
  limits.max_size = (mode & 0x10) ? 64 : 0;
  limits.max_line_length = (mode & 0x20) ? 10 : 1000;
  switch (mode % 3) {
    case 0:
      fuzz_data(in.rest(), piece, limits);
      break;
    case 1:
      fuzz_dot_stuffing(in.rest(), piece);
      break;
    default: {
      claret::fuzz::Reader control(in.until('\0'));
      fuzz_bdat(control, in.rest(), limits);
      break;
    }
  }
  return 0;
}
