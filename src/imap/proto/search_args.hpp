// SEARCH arguments: RFC 9051 §6.4.4 search keys (with RFC 3501 NEW/OLD/RECENT), CHARSET, ESEARCH RETURN
// options (RFC 4731, RFC 9051 §6.4.4), SEARCHRES "$" and SAVE (RFC 5182), CONDSTORE MODSEQ (RFC 7162 §3.1.5),
// SAVEDATE (RFC 8514), OBJECTID EMAILID/THREADID (RFC 8474 §6).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/date_time.hpp"
#include "imap/proto/parse_options.hpp"
#include "imap/proto/sequence_set.hpp"

namespace claret::imap::proto {

struct SearchKey {
  enum class Kind : std::uint8_t {
    all, answered, deleted, draft, flagged, seen, recent, new_, old,       // flags and state
    unanswered, undeleted, undraft, unflagged, unseen,
    keyword, unkeyword,                                                     // text = keyword
    bcc, body, cc, from, subject, text, to,                                 // text = string
    header,                                                                 // field + text
    before, on, since, sent_before, sent_on, sent_since,                    // date
    saved_before, saved_on, saved_since, saved_date_supported,             // RFC 8514
    larger, smaller,                                                        // number = size
    uid, sequence,                                                          // set ("$" allowed)
    modseq,                                                                 // number, field/text = entry
    email_id, thread_id,                                                    // text = object id
    not_, or_, and_,                                                        // children: 1, 2, n
  };
  Kind kind = Kind::all;
  std::string field;       // HEADER field name; MODSEQ entry name
  std::string text;        // string operand; MODSEQ entry type ("priv", "shared", "all")
  Date date;
  std::uint64_t number = 0;
  SequenceSet set;
  std::vector<SearchKey> children;
};

struct SearchReturn {
  bool esearch = false;  // RETURN (…) was given: answer with ESEARCH (RFC 4731 §3.1)
  bool min = false;
  bool max = false;
  bool all = false;
  bool count = false;
  bool save = false;
};

struct SearchArgs {
  SearchReturn ret;
  std::optional<std::string> charset;  // upper case; only US-ASCII and UTF-8 are accepted
  SearchKey key;                       // the top-level keys, as one and_ key unless there is only one
};

Result<SearchArgs> parse_search(std::string_view args, const ParseOptions& opt);

// Shared with SORT and THREAD: ["CHARSET" SP charset SP] is handled by the caller; this reads 1*(SP search-key)
// without the leading SP, i.e. search-key *(SP search-key), to the end of the cursor.
SearchKey read_search_program(Cursor& c, const ParseOptions& opt);
// Checks a charset name: US-ASCII and UTF-8 only; others fail the cursor with ParseErrc::bad_charset.
std::string read_charset(Cursor& c);

}  // namespace claret::imap::proto
