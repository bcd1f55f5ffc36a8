// IMAP command framing (src/imap/proto/receiver): quoted strings, literals (synchronizing, LITERAL+/-,
// literal8), limits and error recovery, then the typed parse of every framed command.
// Invariants: the events do not depend on how the input is split into reads; a framed command has a tag and an
// upper-case name; a parsed command keeps the tag and names a known command; the receiver always ends at
// need_more (no endless event stream).
#include <string>

#include "fuzz_support.hpp"
#include "imap/proto/command.hpp"
#include "imap/proto/receiver.hpp"

namespace {

using namespace claret::imap::proto;

// Feeds `bytes` in pieces of `piece` octets (0: at once) and returns a transcript of every event.
std::string run(std::string_view bytes, std::size_t piece, const Limits& limits, std::uint8_t flags) {
  Receiver receiver(limits);
  ParseOptions options{limits, (flags & 1) != 0};
  std::string transcript;
  std::size_t pos = 0;
  std::size_t events = 0;
  while (true) {
    const std::size_t n = piece == 0 ? bytes.size() - pos : std::min(piece, bytes.size() - pos);
    receiver.feed(bytes.substr(pos, n));
    pos += n;
    while (true) {
      Event event = receiver.next();
      FUZZ_CHECK(++events < 100000);
      if (event.kind == Event::Kind::need_more) break;
      switch (event.kind) {
        case Event::Kind::command: {
          const RawCommand& raw = event.command;
          FUZZ_CHECK(!raw.tag.empty());
          FUZZ_CHECK(!raw.name.empty());
          for (char c : raw.name) FUZZ_CHECK(!(c >= 'a' && c <= 'z'));
          transcript += "C " + raw.tag + " " + raw.name + " " + std::to_string(raw.args.size()) + "\n";
          auto parsed = parse_command(raw, options);
          if (parsed) {
            FUZZ_CHECK(parsed->tag == raw.tag);
            FUZZ_CHECK(parsed->info != nullptr);
            FUZZ_CHECK(parsed->info->name == raw.name);
            // AUTHENTICATE and IDLE continue with raw lines.
            if ((flags & 2) && (raw.name == "AUTHENTICATE" || raw.name == "IDLE")) receiver.expect_line();
          } else {
            FUZZ_CHECK(!parsed.error().message.empty());
          }
          break;
        }
        case Event::Kind::literal:
          transcript += "L " + event.literal.tag + " " + std::to_string(event.literal.size) +
                        (event.literal.accepted ? " +\n" : " -\n");
          // Sometimes the session refuses an accepted literal (APPENDLIMIT, quota).
          if (event.literal.accepted && (flags & 4) && event.literal.size % 2 == 1) {
            receiver.reject_literal();
            transcript += "R\n";
          }
          break;
        case Event::Kind::line:
          transcript += "N " + std::to_string(event.line.size()) + "\n";
          (void)parse_auth_response(event.line);
          break;
        case Event::Kind::error:
          transcript += "E " + std::to_string(static_cast<int>(event.error.kind)) + " " + event.error.tag +
                        (event.error.fatal ? " fatal\n" : "\n");
          FUZZ_CHECK(!event.error.message.empty());
          break;
        case Event::Kind::need_more:
          break;
      }
    }
    if (pos >= bytes.size()) break;
  }
  return transcript;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::uint8_t flags = in.byte();
  const std::size_t piece = 1 + in.byte() % 64;
  Limits limits;
  limits.literal_plus = (flags & 8) != 0;
  if (flags & 16) {  // small limits, so the fuzzer reaches every limit path
    limits.max_line = 200;
    limits.max_literal = 100;
    limits.max_command = 400;
    limits.max_arguments = 20;
    limits.max_depth = 4;
    limits.max_sequence_ranges = 10;
    limits.max_search_depth = 4;
    limits.max_discard = 300;
  }
  const std::string_view bytes = in.rest();
  const std::string whole = run(bytes, 0, limits, flags);
  const std::string split = run(bytes, piece, limits, flags);
  if (whole != split) {
    std::fprintf(stderr, "whole:\n%s\nsplit (%zu):\n%s\n", whole.c_str(), piece, split.c_str());
  }
  FUZZ_CHECK(whole == split);
  return 0;
}
