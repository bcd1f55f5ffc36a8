// Whole-message MIME parsing (src/mime): parse(), then everything the store derives from it at delivery: IMAP
// ENVELOPE and BODYSTRUCTURE, the part map, decoded bodies, summary, preview and search text.
// Invariants (src/mime/README.md): parts() is never empty and its offsets stay inside the message and inside the
// parent's body; ENVELOPE and BODY/BODYSTRUCTURE are well-formed IMAP values of the right shape; the part map
// parses back with the same offsets; every text result is valid UTF-8.
#include <string>

#include "fuzz_support.hpp"
#include "mime/body.hpp"
#include "mime/imap_bodystructure.hpp"
#include "mime/imap_envelope.hpp"
#include "mime/imap_syntax_check.hpp"
#include "mime/message.hpp"
#include "mime/part_map.hpp"
#include "mime/summary.hpp"

using namespace claret::mime;
using claret::fuzz::valid_utf8;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw = claret::fuzz::as_text(data, size);
  const ParsedMessage msg = parse(raw);
  const auto& parts = msg.parts();
  FUZZ_CHECK(!parts.empty());
  FUZZ_CHECK(parts.size() <= kMaxParts + 1);
  for (std::size_t i = 0; i < parts.size(); ++i) {
    const Part& p = parts[i];
    FUZZ_CHECK(p.body_offset == p.header_offset + p.header_size);
    FUZZ_CHECK(p.body_offset + p.body_size <= raw.size());
    FUZZ_CHECK(p.depth <= kMaxDepth + 1);
    FUZZ_CHECK(p.first_header + p.header_count <= msg.fields().size());
    if (p.parent >= 0) {
      FUZZ_CHECK(static_cast<std::size_t>(p.parent) < i);  // pre-order
      const Part& parent = parts[p.parent];
      FUZZ_CHECK(p.header_offset >= parent.body_offset);
      FUZZ_CHECK(p.body_offset + p.body_size <= parent.body_offset + parent.body_size);
    } else {
      FUZZ_CHECK(i == 0);
    }
    if (p.kind == PartKind::kMultipart) FUZZ_CHECK(p.child_count >= 1);
    if (p.kind == PartKind::kMessage) FUZZ_CHECK(p.child_count == 1 && msg.embedded(p) != nullptr);
    FUZZ_CHECK(msg.children(p).size() == p.child_count);
  }

  using claret::mime::imap_check::SyntaxReader;
  const std::string envelope = imap_envelope(msg);
  auto env_value = SyntaxReader(envelope).read_all();
  FUZZ_CHECK(env_value && imap_check::valid_envelope(*env_value));
  for (bool extended : {false, true}) {
    const std::string body = imap_bodystructure(msg, extended);
    auto body_value = SyntaxReader(body).read_all();
    if (!body_value || !imap_check::valid_body(*body_value, extended)) {
      std::fprintf(stderr, "bad BODYSTRUCTURE: %s\n", body.c_str());
      FUZZ_CHECK(false);
    }
  }

  const std::string map_text = serialize_part_map(msg);
  auto map = parse_part_map(map_text);
  FUZZ_CHECK(map.ok());
  FUZZ_CHECK(map->nodes().size() == parts.size());
  for (std::size_t i = 0; i < parts.size(); ++i) {
    FUZZ_CHECK(map->nodes()[i].parent == parts[i].parent);
    FUZZ_CHECK(map->nodes()[i].header_offset == parts[i].header_offset);
    FUZZ_CHECK(map->nodes()[i].header_size == parts[i].header_size);
    FUZZ_CHECK(map->nodes()[i].body_size == parts[i].body_size);
  }

  std::size_t decoded = 0;
  for (const Part& p : parts) {
    if (p.kind == PartKind::kMessage) {
      auto value = SyntaxReader(imap_envelope(msg, p)).read_all();
      FUZZ_CHECK(value && imap_check::valid_envelope(*value));
    }
    if (p.kind != PartKind::kLeaf || ++decoded > 32) continue;
    (void)decode_body(msg, p);
    if (p.is_type("text")) FUZZ_CHECK(valid_utf8(decode_text(msg, p)));
    FUZZ_CHECK(valid_utf8(attachment_filename(msg, p)));
    (void)is_attachment(msg, p);
  }

  const MessageSummary summary = summarize(msg);
  FUZZ_CHECK(valid_utf8(summary.subject));
  FUZZ_CHECK(valid_utf8(summary.base_subject));
  FUZZ_CHECK(valid_utf8(summary.from_name));
  FUZZ_CHECK(valid_utf8(preview(msg, raw)));
  FUZZ_CHECK(valid_utf8(search_text(msg, raw)));
  return 0;
}
