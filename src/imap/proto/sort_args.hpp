// SORT and THREAD arguments (RFC 5256 §3 SORT, THREAD; SORT=DISPLAY RFC 5957 §3; ESORT RFC 5267 §3).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/search_args.hpp"

namespace claret::imap::proto {

struct SortCriterion {
  enum class Key : std::uint8_t { arrival, cc, date, from, size, subject, to, display_from, display_to };
  Key key = Key::arrival;
  bool reverse = false;
  bool operator==(const SortCriterion&) const = default;
};

struct SortArgs {
  SearchReturn ret;  // ESORT: RETURN (MIN MAX ALL COUNT); SAVE is not defined for SORT
  std::vector<SortCriterion> criteria;
  std::string charset;  // upper case
  SearchKey key;
};

struct ThreadArgs {
  enum class Algorithm : std::uint8_t { references, ordered_subject };
  Algorithm algorithm = Algorithm::references;
  std::string charset;
  SearchKey key;
};

Result<SortArgs> parse_sort(std::string_view args, const ParseOptions& opt);
Result<ThreadArgs> parse_thread(std::string_view args, const ParseOptions& opt);

}  // namespace claret::imap::proto
