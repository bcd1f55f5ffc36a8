// LIST pattern matching with "*" and "%" (RFC 9051 §6.3.9) by dynamic programming over pattern × name.
#include "imap/proto/list_pattern.hpp"

#include <algorithm>
#include <vector>

#include "imap/proto/mailbox_name.hpp"

namespace claret::imap::proto {
namespace {

// Can pattern `rest` match some string "/X" with X non-empty? Leading "%" can only match the empty string there
// (it never matches "/"); then "*" can produce "/X", and a literal "/" needs something after it.
bool can_match_child_suffix(std::string_view rest) {
  std::size_t k = 0;
  while (k < rest.size() && rest[k] == '%') ++k;
  rest = rest.substr(k);
  if (rest.empty()) return false;
  return rest[0] == '*' || (rest[0] == kHierarchySeparator && rest.size() >= 2);
}

// row[j] after step i: pattern prefix p[0..i) matches name prefix name[0..j). With descendant, the question is
// whether p matches some name + "/" + X: at a step where the whole name is matched, either the "*" just used
// can go on over "/X", or the rest of the pattern can produce "/X" (any X is a possible child name).
bool match(std::string_view p, std::string_view name, bool descendant) {
  std::vector<char> row(name.size() + 1, 0), next(name.size() + 1, 0);
  row[0] = 1;
  for (std::size_t i = 0;; ++i) {
    if (descendant && row[name.size()]) {
      if (i > 0 && p[i - 1] == '*') return true;
      if (can_match_child_suffix(p.substr(i))) return true;
    }
    if (i == p.size()) break;
    char pc = p[i];
    std::fill(next.begin(), next.end(), 0);
    if (pc == '*' || pc == '%') {
      bool reach = false;
      for (std::size_t j = 0; j <= name.size(); ++j) {
        if (row[j]) reach = true;
        if (reach) next[j] = 1;
        if (pc == '%' && j < name.size() && name[j] == kHierarchySeparator) reach = false;
      }
    } else {
      for (std::size_t j = 0; j < name.size(); ++j)
        if (row[j] && name[j] == pc) next[j + 1] = 1;
    }
    row.swap(next);
  }
  return !descendant && row[name.size()] != 0;
}

}  // namespace

std::string list_full_pattern(std::string_view reference, std::string_view pattern) {
  std::string full(reference);
  full += pattern;
  return normalize_inbox(std::move(full));
}

bool list_match(std::string_view pattern, std::string_view name) { return match(pattern, name, false); }

bool list_match_descendant(std::string_view pattern, std::string_view name) { return match(pattern, name, true); }

}  // namespace claret::imap::proto
