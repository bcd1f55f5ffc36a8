// IMAP argument parsers (src/imap/proto): every command's arguments through parse_command (the first input byte
// picks the command), and the parsers the server also calls directly: sequence sets, date-time, mailbox names
// (modified UTF-7, UTF8=ACCEPT), LIST patterns, AUTHENTICATE responses.
// Invariants: parsed mailbox names are valid UTF-8 and re-encode to a form that decodes to the same name; a
// sequence set prints to text that parses back to it and resolves to sorted, merged, in-range ranges; a
// date-time prints to text that parses back to the same instant.
#include <string>

#include "fuzz_support.hpp"
#include "imap/proto/command.hpp"
#include "imap/proto/commands.hpp"
#include "imap/proto/date_time.hpp"
#include "imap/proto/list_pattern.hpp"
#include "imap/proto/mailbox_name.hpp"
#include "imap/proto/sequence_set.hpp"
#include "imap/proto/session_args.hpp"

namespace {

using namespace claret::imap::proto;
using claret::fuzz::valid_utf8;

void check_sequence_set(std::string_view text, std::uint32_t largest) {
  auto set = parse_sequence_set(text, 1000);
  if (!set) return;
  auto again = parse_sequence_set(set->to_string(), 1000);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *set);
  if (set->is_saved_result()) return;
  const auto resolved = set->resolve(largest);
  std::uint64_t previous_end = 0;
  for (const auto& r : resolved) {
    FUZZ_CHECK(r.first >= 1 && r.first <= r.last);
    FUZZ_CHECK(r.first > previous_end);  // sorted, no overlap
    previous_end = r.last;
  }
  for (std::uint32_t n : {1u, 2u, largest, largest + 1}) {
    bool in_resolved = false;
    for (const auto& r : resolved) in_resolved = in_resolved || (n >= r.first && n <= r.last);
    FUZZ_CHECK(set->contains(n, largest) == in_resolved);
  }
}

void check_mailbox_name(std::string_view wire) {
  for (bool utf8_accept : {false, true}) {
    auto name = decode_mailbox(wire, utf8_accept);
    if (!name) continue;
    FUZZ_CHECK(valid_utf8(*name));
    auto back = decode_mailbox(encode_mailbox(*name, utf8_accept), utf8_accept);
    FUZZ_CHECK(back.ok());
    FUZZ_CHECK(*back == *name);
    (void)validate_mailbox_name(*name);
  }
  if (auto encoded = mutf7_encode(wire)) {
    auto decoded = mutf7_decode(*encoded);
    FUZZ_CHECK(decoded.ok());
    FUZZ_CHECK(*decoded == wire);
  } else {
    FUZZ_CHECK(!valid_utf8(wire));
  }
  if (auto decoded = mutf7_decode(wire)) {
    FUZZ_CHECK(valid_utf8(*decoded));
    auto encoded = mutf7_encode(*decoded);
    FUZZ_CHECK(encoded.ok());
    // Not `*encoded == wire`: adjacent shifted runs ("&AOk-&AOk-") are accepted although the encoder joins
    // them ("&AOkA6Q-"). Both name the same UTF-8 mailbox, and names are compared as UTF-8, so no aliasing.
    auto again = mutf7_decode(*encoded);
    FUZZ_CHECK(again.ok());
    FUZZ_CHECK(*again == *decoded);
  }
}

void check_date_time(std::string_view text) {
  auto dt = parse_date_time(text);
  if (!dt) return;
  const std::string printed = format_date_time(*dt);
  auto again = parse_date_time("\"" + printed + "\"");  // printed without the quotes of the wire form
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(*again == *dt);
  FUZZ_CHECK(to_unix(from_unix(to_unix(*dt), dt->zone_minutes)) == to_unix(*dt));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::uint8_t which = in.byte();
  const std::uint8_t flags = in.byte();
  const std::string_view args = in.rest();

  ParseOptions options;
  options.utf8_accept = (flags & 1) != 0;
  if (flags & 2) {
    options.limits.max_sequence_ranges = 8;
    options.limits.max_search_depth = 4;
    options.limits.max_arguments = 16;
    options.limits.max_depth = 4;
  }
  const CommandInfo& info = kCommands[which % kCommands.size()];
  RawCommand raw{"A1", std::string(info.name), std::string(args)};
  auto parsed = parse_command(raw, options);
  if (parsed) {
    FUZZ_CHECK(parsed->info == &info);
    FUZZ_CHECK(parsed->tag == "A1");
  } else {
    FUZZ_CHECK(!parsed.error().message.empty());
  }

  check_sequence_set(args, flags);
  check_mailbox_name(args);
  check_date_time(args);
  (void)parse_auth_response(args);
  const std::size_t nul = args.find('\0');
  if (nul != std::string_view::npos) {
    const std::string_view pattern = args.substr(0, nul);
    const std::string_view name = args.substr(nul + 1);
    const std::string full = list_full_pattern(pattern, name);
    (void)list_match(pattern, name);
    (void)list_match_descendant(pattern, name);
    (void)list_match(full, name);
  }
  return 0;
}
