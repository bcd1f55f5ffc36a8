// Computes store::MessageMeta with the MIME library (DESIGN.md §3 "parse once").
#include "mail/message_meta.hpp"

#include "mime/imap_bodystructure.hpp"
#include "mime/imap_envelope.hpp"
#include "mime/message.hpp"
#include "mime/part_map.hpp"
#include "mime/summary.hpp"

namespace claret::mail {

store::MessageMeta compute_meta(std::string_view raw) {
  mime::ParsedMessage msg = mime::parse(raw);
  mime::MessageSummary summary = mime::summarize(msg);
  store::MessageMeta meta;
  meta.envelope = mime::imap_envelope(msg);
  meta.body_structure = mime::imap_bodystructure(msg, true);
  meta.body = mime::imap_bodystructure(msg, false);
  meta.part_map = mime::serialize_part_map(msg);
  meta.preview = mime::preview(msg, raw);
  meta.search_text = mime::search_text(msg, raw);
  meta.subject = summary.base_subject;
  meta.from_addr = summary.from_addr;
  meta.from_name = summary.from_name;
  meta.to_addr = summary.to_addr;
  meta.cc_addr = summary.cc_addr;
  meta.message_id = summary.message_id;
  meta.in_reply_to = summary.in_reply_to;
  for (const auto& id : summary.references) {
    if (!meta.references.empty()) meta.references += ' ';
    meta.references += id;
  }
  meta.sent_date = summary.date.value_or(0);
  meta.has_attachments = summary.has_attachments;
  return meta;
}

}  // namespace claret::mail
