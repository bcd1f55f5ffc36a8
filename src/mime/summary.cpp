// Delivery-time metadata: summary fields (RFC 5322 §3.6.2-§3.6.4), RFC 8970 preview, search text.
#include "mime/summary.hpp"

#include "base/strings.hpp"
#include "mime/address.hpp"
#include "mime/body.hpp"
#include "mime/charset.hpp"
#include "mime/date.hpp"
#include "mime/encoded_word.hpp"
#include "mime/header.hpp"
#include "mime/html_text.hpp"

namespace claret::mime {
namespace {

std::optional<Address> first_mailbox(const ParsedMessage& msg, std::string_view field) {
  const auto value = msg.header(field);
  if (!value) return std::nullopt;
  for (auto& a : parse_address_list(*value))
    if (a.kind == Address::Kind::kMailbox) return std::move(a);
  return std::nullopt;
}

bool inside_embedded_message(const ParsedMessage& msg, const Part& p) {
  for (int32_t a = p.parent; a >= 0; a = msg.part(static_cast<size_t>(a)).parent)
    if (msg.part(static_cast<size_t>(a)).kind == PartKind::kMessage) return true;
  return false;
}

// Whitespace (ASCII and U+00A0) runs become one space; the result is trimmed.
std::string collapse_whitespace(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  bool pending_space = false;
  for (size_t i = 0; i < s.size(); ++i) {
    const char c = s[i];
    const bool nbsp = c == '\xC2' && i + 1 < s.size() && s[i + 1] == '\xA0';
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' || nbsp) {
      if (nbsp) ++i;
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out += ' ';
    pending_space = false;
    out += c;
  }
  return out;
}

// The decoded text of a text/* leaf, HTML converted; `raw` supplies the bytes.
std::string part_text(const ParsedMessage& msg, const Part& p, std::string_view raw) {
  if (p.body_offset > raw.size()) return {};
  const std::string_view bytes = raw.substr(p.body_offset, std::min(p.body_size, raw.size() - p.body_offset));
  const Param* charset = find_param(p.content_type.params, "charset");
  std::string text = to_utf8(decode_transfer_encoding(bytes, p.encoding),
                             charset ? std::string_view(charset->value) : std::string_view());
  if (p.content_type.subtype == "html") return html_to_text(text);
  return text;
}

}  // namespace

std::string attachment_filename(const ParsedMessage& msg, const Part& p) {
  const Param* param = nullptr;
  ContentDisposition cd;
  if (const auto dsp = msg.header(p, "content-disposition")) {
    cd = parse_content_disposition(*dsp);
    param = find_param(cd.params, "filename");
  }
  if (!param) param = find_param(p.content_type.params, "name");
  if (!param) return {};
  return param->extended ? param->value : decode_encoded_words(param->value);
}

bool is_attachment(const ParsedMessage& msg, const Part& p) {
  if (p.kind == PartKind::kMultipart) return false;
  std::string disposition;
  bool has_filename = false;
  if (const auto dsp = msg.header(p, "content-disposition")) {
    const ContentDisposition cd = parse_content_disposition(*dsp);
    disposition = cd.type;
    has_filename = find_param(cd.params, "filename") != nullptr;
  }
  if (disposition == "attachment") return true;
  if (disposition == "inline") return false;
  return has_filename || find_param(p.content_type.params, "name") != nullptr;
}

std::vector<std::string> parse_message_ids(std::string_view value) {
  std::vector<std::string> ids;
  size_t i = 0;
  while (true) {
    const size_t lt = value.find('<', i);
    if (lt == std::string_view::npos) break;
    const size_t gt = value.find('>', lt + 1);
    if (gt == std::string_view::npos) break;
    std::string id;
    for (char c : value.substr(lt + 1, gt - lt - 1))
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') id += c;
    if (!id.empty()) ids.push_back(std::move(id));
    i = gt + 1;
  }
  if (ids.empty()) {
    const std::string unfolded = unfold(value);
    for (std::string_view w : split(unfolded, ' '))
      if (!trim(w).empty()) ids.emplace_back(trim(w));
  }
  return ids;
}

MessageSummary summarize(const ParsedMessage& msg) {
  MessageSummary s;
  if (const auto subject = msg.header("subject")) s.subject = decode_unstructured(*subject);
  s.base_subject = base_subject(s.subject);
  if (const auto from = first_mailbox(msg, "from")) {
    s.from_addr = to_lower(from->addr_spec());
    s.from_name = from->name;
  }
  if (const auto to = first_mailbox(msg, "to")) s.to_addr = to_lower(to->addr_spec());
  if (const auto cc = first_mailbox(msg, "cc")) s.cc_addr = to_lower(cc->addr_spec());
  if (const auto id = msg.header("message-id")) {
    const auto ids = parse_message_ids(*id);
    if (!ids.empty()) s.message_id = ids.front();
  }
  if (const auto irt = msg.header("in-reply-to")) {
    const auto ids = parse_message_ids(*irt);
    if (!ids.empty()) s.in_reply_to = ids.front();
  }
  if (const auto refs = msg.header("references")) s.references = parse_message_ids(*refs);
  if (const auto date = msg.header("date")) s.date = parse_rfc5322_date(*date);
  for (const Part& p : msg.parts()) {
    // An attached message counts, but not a top-level message/rfc822 body (the root itself).
    const bool attached_message = p.kind == PartKind::kMessage && &p != &msg.root();
    if (attached_message || (p.kind == PartKind::kLeaf && is_attachment(msg, p))) {
      s.has_attachments = true;
      break;
    }
  }
  return s;
}

std::string preview(const ParsedMessage& msg, std::string_view raw, size_t max_chars) {
  const Part* chosen = nullptr;
  for (std::string_view subtype : {"plain", "html"}) {
    for (const Part& p : msg.parts()) {
      if (p.kind != PartKind::kLeaf || !p.is_type("text", subtype) || is_attachment(msg, p) ||
          inside_embedded_message(msg, p))
        continue;
      chosen = &p;
      break;
    }
    if (chosen) break;
  }
  if (!chosen) return {};
  // Only the start of a huge body is needed; decode a bounded prefix (base64 quads stay aligned at 4 KiB*4).
  Part head = *chosen;
  head.body_size = std::min<size_t>(head.body_size, 64 * 1024 + max_chars * 16);
  const std::string text = collapse_whitespace(part_text(msg, head, raw));
  return std::string(utf8_prefix(text, max_chars));
}

std::string search_text(const ParsedMessage& msg, std::string_view raw) {
  std::string out;
  auto add = [&](std::string_view s) {
    if (s.empty() || out.size() >= kMaxSearchText) return;
    if (!out.empty()) out += '\n';
    out += s;
  };
  for (std::string_view field : {"subject", "from", "to", "cc"})
    for (std::string_view v : msg.headers_named(msg.root(), field)) add(decode_unstructured(v));
  for (const Part& p : msg.parts()) {
    if (out.size() >= kMaxSearchText) break;
    if (p.kind != PartKind::kLeaf || p.content_type.type != "text") continue;
    add(part_text(msg, p, raw));
  }
  if (out.size() > kMaxSearchText) out.resize(utf8_truncate_bytes(out, kMaxSearchText).size());
  return out;
}

}  // namespace claret::mime
