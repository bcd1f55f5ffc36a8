// POP3 command lines (src/pop3/proto): parse_command and peek_verb.
// Invariants: errors carry a documented ParseErrc and a message; a parsed line's verb is the one peek_verb
// sees; arguments obey the documented shapes (USER names and APOP digests non-empty, AUTH mechanism upper-case).
#include <string>
#include <variant>

#include "fuzz_support.hpp"
#include "pop3/proto/command.hpp"

using namespace claret::pop3::proto;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view line = claret::fuzz::as_text(data, size);
  const auto peeked = peek_verb(line);
  auto parsed = parse_command(line);
  if (!parsed) {
    const int code = parsed.error().code;
    FUZZ_CHECK(code >= static_cast<int>(ParseErrc::unknown_command) &&
               code <= static_cast<int>(ParseErrc::invalid_argument));
    FUZZ_CHECK(!parsed.error().message.empty());
    if (!peeked) FUZZ_CHECK(has_code(parsed.error(), ParseErrc::unknown_command));
    return 0;
  }
  FUZZ_CHECK(peeked && *peeked == parsed->verb);
  FUZZ_CHECK(!verb_name(parsed->verb).empty());
  if (const auto* user = std::get_if<NameArg>(&parsed->args)) FUZZ_CHECK(!user->name.empty());
  if (const auto* apop = std::get_if<ApopArgs>(&parsed->args)) {
    FUZZ_CHECK(!apop->name.empty());
    FUZZ_CHECK(!apop->digest.empty());
  }
  if (const auto* auth = std::get_if<AuthArgs>(&parsed->args)) {
    if (auth->mechanism) {
      FUZZ_CHECK(!auth->mechanism->empty());
      for (char c : *auth->mechanism) FUZZ_CHECK(!(c >= 'a' && c <= 'z'));
    } else {
      FUZZ_CHECK(!auth->initial_response);
    }
  }
  return 0;
}
