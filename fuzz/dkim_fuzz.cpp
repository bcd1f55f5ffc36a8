// DKIM (src/mailauth): tag=value lists, key records, the DKIM-Signature field and the whole verification path
// (header split, canonicalisation, hashes) with the first input line answered as the key record of every lookup.
// Invariants: a parsed tag list has unique names; canonicalisation is idempotent; there is one verdict per
// DKIM-Signature field, and a failed verdict says why.
#include <set>
#include <string>

#include "base/strings.hpp"
#include "fuzz_support.hpp"
#include "mailauth/canonicalize.hpp"
#include "mailauth/dkim_verifier.hpp"
#include "mailauth/header_fields.hpp"
#include "mailauth/public_key.hpp"
#include "mailauth/tag_list.hpp"

using namespace claret::mailauth;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  claret::fuzz::Reader in(claret::fuzz::as_text(data, size));
  const std::string record(in.until('\n'));
  const std::string_view message = in.rest();

  if (auto tags = TagList::parse(record)) {
    std::set<std::string> names;
    for (const auto& [name, value] : tags->tags()) FUZZ_CHECK(names.insert(name).second);
  }
  (void)PublicKey::from_record(record);
  const std::string stripped = remove_fws(record);
  FUZZ_CHECK(stripped.find_first_of(" \t\r\n") == std::string::npos);

  const std::string crlf = to_crlf(message);
  FUZZ_CHECK(!has_bare_lf(crlf));
  const SplitMessage split = split_message(crlf);
  std::size_t signatures = 0;
  for (const RawField& field : split.fields) {
    if (claret::iequals(field.name, "DKIM-Signature")) ++signatures;
    for (Canon c : {Canon::simple, Canon::relaxed}) (void)canonicalize_header(c, field.raw);
  }
  for (Canon c : {Canon::simple, Canon::relaxed}) {
    const std::string body = canonicalize_body(c, split.body);
    FUZZ_CHECK(canonicalize_body(c, body) == body);
  }

  KeyLookup lookup = [&record](const std::string& name) -> claret::Result<std::vector<std::string>> {
    if (name.size() > 0 && name[0] == 't') return claret::Error{kLookupTemporary, "temporary failure"};
    return std::vector<std::string>{record};
  };
  const auto verdicts = DkimVerifier(lookup).verify(crlf, 1700000000);
  FUZZ_CHECK(verdicts.size() == signatures);
  for (const DkimVerdict& v : verdicts) {
    if (v.status != DkimStatus::pass) FUZZ_CHECK(!v.reason.empty());
  }
  return 0;
}
