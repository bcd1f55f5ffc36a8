// SearchKey: a search program tree (RFC 9051 §6.4.4 subset) that backends translate to SQL/full-text queries.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "store/uid_set.hpp"

namespace claret::store {

// A node is a leaf criterion or a boolean combination; new IMAP keys become new Kinds without changing callers.
struct SearchKey {
  enum class Kind {
    all,           // matches every message
    uid,           // uids
    flags_set,     // all bits of `flags` set
    flags_unset,   // none of the bits of `flags` set
    keyword,       // `text` keyword present (case-insensitive)
    unkeyword,     // `text` keyword absent
    larger,        // size > number
    smaller,       // size < number
    before,        // internaldate < number (unix seconds; the IMAP layer turns a date into its day boundary)
    since,         // internaldate >= number
    modseq,        // modseq >= number (RFC 7162 §3.1.5)
    saved_before,  // save date < number (RFC 8514 §5, unix seconds like before)
    saved_since,   // save date >= number
    text,          // full-text match of `text` against MessageMeta::search_text
    and_,          // all children
    or_,           // any child
    not_,          // first child does not match
  };
  Kind kind = Kind::all;
  UidSet uids;
  uint32_t flags = 0;
  int64_t number = 0;
  std::string text;
  std::vector<SearchKey> children;

  static SearchKey all() { return {}; }
  static SearchKey uid_set(UidSet s) { SearchKey k; k.kind = Kind::uid; k.uids = std::move(s); return k; }
  static SearchKey with_flags(uint32_t f) { SearchKey k; k.kind = Kind::flags_set; k.flags = f; return k; }
  static SearchKey without_flags(uint32_t f) { SearchKey k; k.kind = Kind::flags_unset; k.flags = f; return k; }
  static SearchKey has_keyword(std::string kw) { SearchKey k; k.kind = Kind::keyword; k.text = std::move(kw); return k; }
  static SearchKey lacks_keyword(std::string kw) { SearchKey k; k.kind = Kind::unkeyword; k.text = std::move(kw); return k; }
  static SearchKey larger_than(int64_t n) { SearchKey k; k.kind = Kind::larger; k.number = n; return k; }
  static SearchKey smaller_than(int64_t n) { SearchKey k; k.kind = Kind::smaller; k.number = n; return k; }
  static SearchKey before_time(int64_t t) { SearchKey k; k.kind = Kind::before; k.number = t; return k; }
  static SearchKey since_time(int64_t t) { SearchKey k; k.kind = Kind::since; k.number = t; return k; }
  static SearchKey saved_before_time(int64_t t) { SearchKey k; k.kind = Kind::saved_before; k.number = t; return k; }
  static SearchKey saved_since_time(int64_t t) { SearchKey k; k.kind = Kind::saved_since; k.number = t; return k; }
  static SearchKey modseq_at_least(int64_t m) { SearchKey k; k.kind = Kind::modseq; k.number = m; return k; }
  static SearchKey full_text(std::string t) { SearchKey k; k.kind = Kind::text; k.text = std::move(t); return k; }
  static SearchKey all_of(std::vector<SearchKey> c) { SearchKey k; k.kind = Kind::and_; k.children = std::move(c); return k; }
  static SearchKey any_of(std::vector<SearchKey> c) { SearchKey k; k.kind = Kind::or_; k.children = std::move(c); return k; }
  static SearchKey negate(SearchKey c) { SearchKey k; k.kind = Kind::not_; k.children.push_back(std::move(c)); return k; }
};

}  // namespace claret::store
