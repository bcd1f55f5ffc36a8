// IMAP sequence sets: RFC 9051 §9 sequence-set, seq-number ("*"), seq-range (either order), RFC 5182 "$".
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/cursor.hpp"

namespace claret::imap::proto {

inline constexpr std::uint32_t kStar = 0;  // "*" as a range end (message numbers and UIDs start at 1)

struct SeqRange {
  std::uint32_t first = 1;  // as written: either end may be kStar, and first may exceed last
  std::uint32_t last = 1;
  bool operator==(const SeqRange&) const = default;
};

// A parsed sequence set, kept as written (8 bytes per range; "1:100000" is one range). "$" (SEARCHRES) is a
// separate state the session resolves from the saved result.
class SequenceSet {
 public:
  SequenceSet() = default;
  static SequenceSet saved_result();
  static SequenceSet of(std::uint32_t first, std::uint32_t last);

  void add(std::uint32_t first, std::uint32_t last) { ranges_.push_back({first, last}); }
  bool is_saved_result() const { return saved_; }
  bool empty() const { return !saved_ && ranges_.empty(); }
  bool uses_star() const;
  const std::vector<SeqRange>& ranges() const { return ranges_; }

  // "*" becomes `largest` (the highest message number or UID, 0 in an empty mailbox); each range is ordered,
  // then the ranges are sorted and merged. Number 0 (what "*" means in an empty mailbox) is dropped, so an
  // empty mailbox gives an empty result for "*" and "1:*" gives {1:1}. RFC 9051 §6.4.9: "559:*" includes
  // the last UID even when 559 is larger.
  std::vector<SeqRange> resolve(std::uint32_t largest) const;
  bool contains(std::uint32_t n, std::uint32_t largest) const;

  // Wire form: "1:3,7,9:*", or "$".
  std::string to_string() const;

  bool operator==(const SequenceSet&) const = default;

 private:
  std::vector<SeqRange> ranges_;
  bool saved_ = false;
};

// Reads a sequence-set (or "$" when allow_saved) at the cursor; more than max_ranges ranges is a limit error.
SequenceSet read_sequence_set(Cursor& c, std::size_t max_ranges, bool allow_saved = true);
Result<SequenceSet> parse_sequence_set(std::string_view text, std::size_t max_ranges, bool allow_saved = true);

// Compact wire form of sorted numbers: {1,2,3,5} → "1:3,5" (COPYUID, APPENDUID, VANISHED, ESEARCH ALL).
std::string format_number_set(const std::vector<std::uint32_t>& sorted_numbers);
std::string format_ranges(const std::vector<SeqRange>& ranges);

}  // namespace claret::imap::proto
