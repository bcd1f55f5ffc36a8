// FETCH arguments: RFC 9051 §6.4.5 fetch items and macros, BODY[section]<partial>, BODY.PEEK, BINARY[…],
// BINARY.PEEK, BINARY.SIZE (RFC 3516 §4.2), MODSEQ and CHANGEDSINCE/VANISHED (RFC 7162 §3.1.4, §3.2.6),
// SAVEDATE (RFC 8514), EMAILID/THREADID (RFC 8474), PREVIEW (RFC 8970).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/parse_options.hpp"
#include "imap/proto/sequence_set.hpp"

namespace claret::imap::proto {

struct Section {
  enum class Text : std::uint8_t { none, header, header_fields, header_fields_not, text, mime };
  std::vector<std::uint32_t> part;  // "1.2.3"; empty for the whole message
  Text text = Text::none;
  std::vector<std::string> fields;  // HEADER.FIELDS (…), upper case
  bool operator==(const Section&) const = default;
};

struct Partial {  // RFC 9051: "<" number64 "." nz-number64 ">"
  std::uint64_t offset = 0;
  std::uint64_t length = 0;  // non-zero
  bool operator==(const Partial&) const = default;
};

struct FetchItem {
  enum class Kind : std::uint8_t {
    envelope, flags, internal_date, rfc822, rfc822_header, rfc822_size, rfc822_text, body_structure_basic /* BODY */,
    body_structure, uid, body_section, binary, binary_size, modseq, save_date, email_id, thread_id, preview,
  };
  Kind kind = Kind::flags;
  bool peek = false;               // BODY.PEEK / BINARY.PEEK: do not set \Seen
  bool lazy = false;               // PREVIEW (LAZY)
  Section section;                 // body_section, binary, binary_size (binary: part only)
  std::optional<Partial> partial;  // body_section, binary

  // The item name as echoed in the FETCH response: "BODY[1.2.HEADER.FIELDS (FROM)]<0>" (RFC 9051 §7.5.2: the
  // partial shows only its origin; BODY.PEEK answers as BODY).
  std::string response_name() const;
};

struct FetchArgs {
  SequenceSet set;
  std::vector<FetchItem> items;  // macros expanded (ALL, FAST, FULL), in the order given
  std::optional<std::uint64_t> changed_since;
  bool vanished = false;  // UID FETCH … (CHANGEDSINCE n VANISHED), RFC 7162 §3.2.6
};

// uid: the UID FETCH form (VANISHED is allowed only there, and only with CHANGEDSINCE).
Result<FetchArgs> parse_fetch(std::string_view args, const ParseOptions& opt, bool uid);

std::string section_string(const Section& s);
// One fetch-att (or, when allow_macro, ALL/FAST/FULL expanded) appended to items; shared with NOTIFY.
void read_fetch_item(Cursor& c, std::vector<FetchItem>& items, bool allow_macro);  // "1.2.HEADER.FIELDS (FROM TO)"

}  // namespace claret::imap::proto
