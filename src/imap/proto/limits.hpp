// Limits applied by the IMAP receiver and argument parsers (RFC 9051 §4.3 literals, RFC 7888 LITERAL+/-).
#pragma once

#include <cstddef>
#include <cstdint>

namespace claret::imap::proto {

// Passed in from config/; the defaults are what the unit tests and a small server use.
struct Limits {
  std::size_t max_line = 64 * 1024;                   // bytes of one command line, literals not counted
  std::uint64_t max_literal = 64ull * 1024 * 1024;    // bytes of one literal
  std::uint64_t max_command = 80ull * 1024 * 1024;    // bytes of a whole command, lines plus literals
  std::size_t max_arguments = 10000;                  // atoms, strings, literals and lists in one command
  std::size_t max_depth = 32;                         // parenthesis nesting
  std::size_t max_sequence_ranges = 100000;           // ranges in one sequence-set
  std::size_t max_search_depth = 64;                  // nesting of SEARCH keys (OR, NOT, lists)
  // An oversized non-synchronizing literal is already on its way: up to this many bytes are read and thrown
  // away so the connection can continue; beyond it the session has to close the connection.
  std::uint64_t max_discard = 1024 * 1024;
  // LITERAL+ (RFC 7888 §3) when true; otherwise LITERAL- (§4): {n+} only up to 4096 bytes.
  bool literal_plus = false;
  // Only APPEND carries messages; every other command's literals are names, passwords and search strings.
  std::uint64_t max_non_append_literal = 64 * 1024;
};

inline constexpr std::uint64_t kLiteralMinusMax = 4096;  // RFC 7888 §4

}  // namespace claret::imap::proto
