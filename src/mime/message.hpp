// The parsed structure of an RFC 5322 message: a tree of MIME entities (RFC 2045 §2.4, RFC 2046 §5) with the
// byte offsets of every header block and body in the original message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "mime/content_type.hpp"
#include "mime/header.hpp"

namespace claret::mime {

enum class PartKind : uint8_t {
  kLeaf,       // a single body
  kMultipart,  // multipart/*: children are the body parts between boundaries (RFC 2046 §5.1)
  kMessage,    // message/rfc822 or message/global: one child, the encapsulated message (RFC 2046 §5.2.1)
};

// One MIME entity. The root (index 0) is the message itself; a kMessage part's only child is the embedded
// message, whose header is that message's header. Offsets are into ParsedMessage::raw().
struct Part {
  size_t header_offset = 0;
  size_t header_size = 0;  // includes the blank line that ends the header, when there is one
  size_t body_offset = 0;  // always header_offset + header_size
  size_t body_size = 0;    // for parts of a multipart, excludes the line break that belongs to the next boundary
  size_t body_lines = 0;   // lines in the body: line breaks, plus one for a final unterminated line
  uint32_t first_header = 0;  // index into ParsedMessage::fields()
  uint32_t header_count = 0;
  int32_t parent = -1;
  int32_t first_child = -1;
  int32_t next_sibling = -1;
  uint32_t child_count = 0;
  uint32_t depth = 0;
  PartKind kind = PartKind::kLeaf;
  bool content_type_present = false;  // false: the RFC 2045 §5.2 (or multipart/digest) default applies
  ContentType content_type;           // lowercase type/subtype, defaults filled in
  std::string encoding;               // lowercase Content-Transfer-Encoding, "7bit" when missing

  bool is_type(std::string_view type, std::string_view subtype = {}) const;
};

class ParsedMessage {
 public:
  ParsedMessage() = default;
  ParsedMessage(std::string_view raw, std::vector<Part> parts, std::vector<HeaderField> fields)
      : raw_(raw), parts_(std::move(parts)), fields_(std::move(fields)) {}

  // The bytes given to parse(); they must outlive this object.
  std::string_view raw() const { return raw_; }
  const std::vector<Part>& parts() const { return parts_; }
  const Part& root() const { return parts_.front(); }
  const Part& part(size_t index) const { return parts_[index]; }
  const std::vector<HeaderField>& fields() const { return fields_; }

  std::span<const HeaderField> headers(const Part& p) const {
    return std::span<const HeaderField>(fields_).subspan(p.first_header, p.header_count);
  }
  // First field named `name` (case-insensitive) in part `p`, or nullopt. The value is still folded.
  std::optional<std::string_view> header(const Part& p, std::string_view name) const;
  std::vector<std::string_view> headers_named(const Part& p, std::string_view name) const;
  std::optional<std::string_view> header(std::string_view name) const { return header(root(), name); }

  std::vector<uint32_t> children(const Part& p) const;
  std::string_view header_bytes(const Part& p) const { return raw_.substr(p.header_offset, p.header_size); }
  std::string_view body_bytes(const Part& p) const { return raw_.substr(p.body_offset, p.body_size); }
  // For a kMessage part, the embedded message (its only child); otherwise nullptr.
  const Part* embedded(const Part& p) const;

 private:
  std::string_view raw_;
  std::vector<Part> parts_;
  std::vector<HeaderField> fields_;
};

inline constexpr uint32_t kMaxDepth = 64;      // deeper entities are kept as opaque leaves
inline constexpr size_t kMaxParts = 10000;     // further boundaries are treated as body text

// Parses `raw` (CRLF, LF or mixed line endings; an mbox "From " first line is skipped). Never fails: broken
// input gives a best-effort tree, and parts() is never empty.
ParsedMessage parse(std::string_view raw);

}  // namespace claret::mime
