// IMAP sequence sets: RFC 9051 §9 sequence-set / seq-range, §6.4.9 "*" semantics, RFC 5182 §2.1 "$".
#include "imap/proto/sequence_set.hpp"

#include <algorithm>

#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {

SequenceSet SequenceSet::saved_result() {
  SequenceSet s;
  s.saved_ = true;
  return s;
}

SequenceSet SequenceSet::of(std::uint32_t first, std::uint32_t last) {
  SequenceSet s;
  s.add(first, last);
  return s;
}

bool SequenceSet::uses_star() const {
  for (const auto& r : ranges_)
    if (r.first == kStar || r.last == kStar) return true;
  return false;
}

std::vector<SeqRange> SequenceSet::resolve(std::uint32_t largest) const {
  std::vector<SeqRange> out;
  out.reserve(ranges_.size());
  for (auto r : ranges_) {
    std::uint32_t a = r.first == kStar ? largest : r.first;
    std::uint32_t b = r.last == kStar ? largest : r.last;
    if (a > b) std::swap(a, b);
    if (a == 0) a = 1;
    if (b == 0) continue;
    out.push_back({a, b});
  }
  std::sort(out.begin(), out.end(), [](const SeqRange& x, const SeqRange& y) { return x.first < y.first; });
  std::vector<SeqRange> merged;
  for (const auto& r : out) {
    if (!merged.empty() && r.first <= merged.back().last + std::uint64_t{1}) {
      merged.back().last = std::max(merged.back().last, r.last);
    } else {
      merged.push_back(r);
    }
  }
  return merged;
}

bool SequenceSet::contains(std::uint32_t n, std::uint32_t largest) const {
  if (n == 0) return false;
  for (auto r : ranges_) {
    std::uint32_t a = r.first == kStar ? largest : r.first;
    std::uint32_t b = r.last == kStar ? largest : r.last;
    if (a > b) std::swap(a, b);
    if (n >= a && n <= b) return true;
  }
  return false;
}

namespace {
void append_number(std::string& out, std::uint32_t n) {
  if (n == kStar)
    out += '*';
  else
    out += std::to_string(n);
}
}  // namespace

std::string SequenceSet::to_string() const {
  if (saved_) return "$";
  std::string out;
  for (const auto& r : ranges_) {
    if (!out.empty()) out += ',';
    append_number(out, r.first);
    if (r.last != r.first) {
      out += ':';
      append_number(out, r.last);
    }
  }
  return out;
}

SequenceSet read_sequence_set(Cursor& c, std::size_t max_ranges, bool allow_saved) {
  SequenceSet set;
  if (!c.ok()) return set;
  if (c.peek() == '$') {
    c.accept('$');
    if (!allow_saved) c.fail("$ not allowed here");
    return SequenceSet::saved_result();
  }
  auto seq_number = [&c]() -> std::uint32_t {
    if (c.accept('*')) return kStar;
    return c.nz_number();
  };
  for (;;) {
    std::uint32_t first = seq_number();
    std::uint32_t last = first;
    if (c.accept(':')) last = seq_number();
    if (!c.ok()) return {};
    if (set.ranges().size() >= max_ranges) {
      c.fail("Too many ranges in sequence set", ParseErrc::limit);
      return {};
    }
    set.add(first, last);
    if (!c.accept(',')) break;
  }
  return set;
}

Result<SequenceSet> parse_sequence_set(std::string_view text, std::size_t max_ranges, bool allow_saved) {
  Cursor c(text);
  SequenceSet s = read_sequence_set(c, max_ranges, allow_saved);
  c.expect_end();
  if (!c.ok()) return c.error();
  return s;
}

std::string format_ranges(const std::vector<SeqRange>& ranges) {
  std::string out;
  for (const auto& r : ranges) {
    if (!out.empty()) out += ',';
    out += std::to_string(r.first);
    if (r.last != r.first) {
      out += ':';
      out += std::to_string(r.last);
    }
  }
  return out;
}

std::string format_number_set(const std::vector<std::uint32_t>& sorted_numbers) {
  std::vector<SeqRange> ranges;
  for (std::uint32_t n : sorted_numbers) {
    if (!ranges.empty() && ranges.back().last + std::uint64_t{1} == n)
      ranges.back().last = n;
    else if (ranges.empty() || ranges.back().last != n)
      ranges.push_back({n, n});
  }
  return format_ranges(ranges);
}

}  // namespace claret::imap::proto
