// The TOML configuration file (src/config): toml++ parsing plus claret's validation of every section.
// Invariants: no exception escapes (toml++ reports syntax errors, claret turns them into Result errors); an
// error message names a position ("LINE:COL: ..."); parsing is deterministic.
#include <string>

#include "config/config.hpp"
#include "fuzz_support.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text = claret::fuzz::as_text(data, size);
  auto first = claret::config::parse(text, "fuzz.toml");
  auto second = claret::config::parse(text, "fuzz.toml");
  FUZZ_CHECK(first.ok() == second.ok());
  if (!first) {
    FUZZ_CHECK(!first.error().message.empty());
    FUZZ_CHECK(first.error().message == second.error().message);
  }
  return 0;
}
