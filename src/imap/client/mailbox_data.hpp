// Untagged mailbox and search data (RFC 9051 §7.2-7.3): CAPABILITY, LIST (with SPECIAL-USE attributes, RFC 6154),
// STATUS, SEARCH, ESEARCH (RFC 4731), SORT and THREAD (RFC 5256); and the UIDPLUS response codes (RFC 4315).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "imap/client/response.hpp"

namespace claret::imap::client {

struct ListEntry {
  std::vector<std::string> attributes;  // as sent, e.g. "\\HasNoChildren", "\\Sent"
  char delimiter = 0;                   // 0 = flat (NIL)
  std::string name;                     // wire form (modified UTF-7 unless UTF8=ACCEPT)
  bool has_attribute(std::string_view a) const;  // case-insensitive
};

struct StatusData {
  std::string name;  // wire form
  std::optional<std::uint32_t> messages, unseen, recent, uidnext, uidvalidity;
  std::optional<std::uint64_t> highestmodseq, size;
};

struct SearchData {
  std::vector<std::uint32_t> ids;        // uids or sequence numbers, in the server's order (SORT keeps it)
  std::optional<std::uint64_t> modseq;
  std::optional<std::uint32_t> count, min, max;  // ESEARCH
};

// A THREAD node: a message and its children ("(1 2 (3)(4))" → 1 → 2 → {3, 4}). id 0 = a missing parent.
struct ThreadNode {
  std::uint32_t id = 0;
  std::vector<ThreadNode> children;
};

struct AppendUid {
  std::uint32_t uidvalidity = 0, uid = 0;
};
struct CopyUid {
  std::uint32_t uidvalidity = 0;
  std::vector<std::uint32_t> source, dest;
};

std::vector<std::string> parse_capabilities(const std::vector<Value>& data);  // upper case
Result<ListEntry> parse_list(const Response& r);
Result<StatusData> parse_status(const Response& r);
// "* SEARCH 1 2 (MODSEQ 3)" and "* SORT 3 1 2".
Result<SearchData> parse_search(const Response& r);
// "* ESEARCH (TAG "a") UID COUNT 3 ALL 1:3,5".
Result<SearchData> parse_esearch(const Response& r);
Result<std::vector<ThreadNode>> parse_thread(const Response& r);
std::optional<AppendUid> parse_appenduid(const ResponseCode& code);
std::optional<CopyUid> parse_copyuid(const ResponseCode& code);
// sequence-set of numbers ("1:3,7") → numbers in order; no '*'. Bounded: at most max_count numbers.
Result<std::vector<std::uint32_t>> expand_number_set(std::string_view set, std::size_t max_count = 1u << 20);
// Numbers → compact set "1:3,7".
std::string format_number_set(std::vector<std::uint32_t> ids);

}  // namespace claret::imap::client
