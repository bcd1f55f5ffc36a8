// Header field values (src/mime): RFC 2047 encoded words, unstructured fields, Content-Type and
// Content-Disposition with RFC 2231 parameters, address lists, RFC 5322 dates, Message-ID lists, base subjects.
// Invariants: every decoded text is valid UTF-8; RFC 2231 values (converted from their charset) are valid UTF-8;
// parsed types are lower case; dates land in a sane range; base_subject is a fixed point.
#include <cctype>
#include <string>

#include "fuzz_support.hpp"
#include "mime/address.hpp"
#include "mime/base_subject.hpp"
#include "mime/content_type.hpp"
#include "mime/date.hpp"
#include "mime/encoded_word.hpp"
#include "mime/header.hpp"
#include "mime/summary.hpp"

using namespace claret::mime;
using claret::fuzz::valid_utf8;

namespace {

bool lower_case(std::string_view s) {
  for (char c : s)
    if (c >= 'A' && c <= 'Z') return false;
  return true;
}

void check_params(const std::vector<Param>& params) {
  for (const Param& p : params) {
    FUZZ_CHECK(lower_case(p.name));
    if (p.extended) FUZZ_CHECK(valid_utf8(p.value));
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view value = claret::fuzz::as_text(data, size);

  FUZZ_CHECK(valid_utf8(decode_encoded_words(value)));
  const std::string unstructured = decode_unstructured(value);
  FUZZ_CHECK(valid_utf8(unstructured));
  const std::string unfolded = unfold(value);
  FUZZ_CHECK(unfolded.find_first_of("\r\n") == std::string::npos);

  const ContentType type = parse_content_type(value);
  FUZZ_CHECK(lower_case(type.type) && lower_case(type.subtype));
  FUZZ_CHECK(type.type.empty() == type.subtype.empty());
  check_params(type.params);
  const ContentDisposition disposition = parse_content_disposition(value);
  FUZZ_CHECK(lower_case(disposition.type));
  check_params(disposition.params);
  check_params(parse_parameters(value));

  for (const auto& list : {parse_address_list(value), parse_mailboxes(value)}) {
    int open_groups = 0;
    for (const Address& a : list) {
      FUZZ_CHECK(valid_utf8(a.name));
      if (a.kind == Address::Kind::kGroupStart) ++open_groups;
      if (a.kind == Address::Kind::kGroupEnd) FUZZ_CHECK(--open_groups >= 0);
      (void)a.addr_spec();
    }
    FUZZ_CHECK(open_groups == 0);
  }

  if (auto t = parse_rfc5322_date(value)) {
    // Years 0..9999 with any zone: well inside ±400 000 000 000 s.
    FUZZ_CHECK(*t > -70000000000LL && *t < 260000000000LL);
  }
  for (const std::string& id : parse_message_ids(value)) FUZZ_CHECK(!id.empty());

  if (valid_utf8(unstructured)) {
    const std::string base = base_subject(unstructured);
    FUZZ_CHECK(valid_utf8(base));
    FUZZ_CHECK(base_subject(base) == base);
  }
  return 0;
}
