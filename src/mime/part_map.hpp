// Byte ranges of every IMAP body section (RFC 3501 §6.4.5 section numbering: BODY[1.2], [1.2.HEADER], [2.MIME],
// [TEXT], ...) computed once at delivery, stored compactly, and resolved later without re-parsing the message.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "mime/message.hpp"

namespace claret::mime {

struct ByteRange {
  uint64_t offset = 0;
  uint64_t size = 0;
  bool operator==(const ByteRange&) const = default;
};

class PartMap {
 public:
  struct Node {
    int32_t parent = -1;
    PartKind kind = PartKind::kLeaf;
    uint64_t header_offset = 0;
    uint64_t header_size = 0;  // the body starts right after the header
    uint64_t body_size = 0;
    std::vector<uint32_t> children;
  };

  static PartMap from_message(const ParsedMessage& msg);

  // Resolves an IMAP section spec without brackets and without <partial>: "" (whole message), "HEADER", "TEXT",
  // "1", "1.2", "1.2.MIME", "3.HEADER", "3.TEXT", "3.HEADER.FIELDS (A B)" (the header range; the caller filters
  // the fields). Case-insensitive. nullopt when the section does not exist in this message.
  std::optional<ByteRange> find(std::string_view section) const;

  const std::vector<Node>& nodes() const { return nodes_; }

 private:
  friend Result<PartMap> parse_part_map(std::string_view text);
  std::optional<size_t> resolve_path(const std::vector<uint64_t>& path) const;

  std::vector<Node> nodes_;
};

// Text form: "PM1 <count>\n" then per part in pre-order "<parent> <kind L|M|R> <header_offset> <header_size>
// <body_size>\n". About 20 bytes a part.
std::string serialize_part_map(const ParsedMessage& msg);
Result<PartMap> parse_part_map(std::string_view text);

}  // namespace claret::mime
