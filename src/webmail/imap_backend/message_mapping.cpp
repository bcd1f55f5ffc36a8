// FETCH → MessageSummary / MessageView pieces.
#include "webmail/imap_backend/message_mapping.hpp"

#include "base/base64.hpp"
#include "imap/proto/date_time.hpp"
#include "mime/charset.hpp"
#include "mime/content_type.hpp"
#include "mime/date.hpp"
#include "mime/encoded_word.hpp"
#include "mime/quoted_printable.hpp"

namespace claret::webmail {

namespace {

using imap::client::BodyPart;

// Parameters as the server sent them may still be RFC 2231 ("filename*0*=utf-8''…") or RFC 2047 encoded;
// rebuild a parameter list and let the MIME parser join and decode it.
std::string decoded_param(const std::vector<std::pair<std::string, std::string>>& params, std::string_view name) {
  std::string list;
  for (const auto& [k, v] : params) {
    list += "; " + k + "=\"";
    for (char c : v) {
      if (c == '"' || c == '\\') list += '\\';
      list += c;
    }
    list += '"';
  }
  auto parsed = mime::parse_parameters(list);
  const auto* p = mime::find_param(parsed, name);
  if (!p) return {};
  return p->extended ? p->value : mime::decode_encoded_words(p->value);
}

std::string filename_of(const BodyPart& p) {
  auto f = decoded_param(p.disposition_params, "filename");
  if (f.empty()) f = decoded_param(p.params, "name");
  return f;
}

bool is_attachment(const BodyPart& p) { return p.disposition == "attachment" || !filename_of(p).empty(); }

// Depth-first: the first non-attachment text/plain and text/html are the displayed body; every other leaf
// (including inline images and attached messages) is listed as an attachment.
void walk(const BodyPart& p, BodyChoice& c, std::vector<const BodyPart*>& leaves) {
  if (p.multipart()) {
    for (const auto& child : p.parts) walk(child, c, leaves);
    return;
  }
  if (p.type == "text" && !is_attachment(p)) {
    if (p.subtype == "plain" && !c.text) {
      c.text = &p;
      return;
    }
    if (p.subtype == "html" && !c.html) {
      c.html = &p;
      return;
    }
  }
  leaves.push_back(&p);
}

}  // namespace

std::vector<Address> to_addresses(const std::vector<imap::client::EnvelopeAddress>& list) {
  std::vector<Address> out;
  for (const auto& a : list) out.push_back(Address{mime::decode_encoded_words(a.name), a.email()});
  return out;
}

MessageSummary to_summary(const imap::client::FetchData& f) {
  MessageSummary s;
  s.uid = f.uid.value_or(0);
  if (f.flags) s.flags = *f.flags;
  if (!f.internaldate.empty()) {
    auto dt = imap::proto::parse_date_time("\"" + f.internaldate + "\"");
    if (dt) s.received = imap::proto::to_unix(*dt);
  }
  s.date = s.received;
  s.size = f.size.value_or(0);
  if (f.envelope) {
    const auto& e = *f.envelope;
    if (auto d = mime::parse_rfc5322_date(e.date)) s.date = *d;
    s.subject = mime::decode_encoded_words(e.subject);
    s.from = to_addresses(e.from);
    s.to = to_addresses(e.to);
    s.cc = to_addresses(e.cc);
    s.message_id = e.message_id;
    s.in_reply_to = e.in_reply_to;
  }
  if (f.preview) s.preview = mime::sanitize_utf8(*f.preview);
  if (f.bodystructure) s.has_attachments = has_attachments(*f.bodystructure);
  return s;
}

Part to_part(const BodyPart& p) {
  Part out;
  out.section = p.section;
  out.content_type = p.type + "/" + p.subtype;
  out.charset = p.param("charset");
  out.filename = filename_of(p);
  out.disposition = p.disposition;
  out.content_id = p.id;
  if (out.content_id.size() >= 2 && out.content_id.front() == '<' && out.content_id.back() == '>')
    out.content_id = out.content_id.substr(1, out.content_id.size() - 2);
  out.size = p.size;
  return out;
}

BodyChoice choose_body(const BodyPart& root) {
  BodyChoice c;
  std::vector<const BodyPart*> leaves;
  walk(root, c, leaves);
  for (const auto* p : leaves) c.attachments.push_back(to_part(*p));
  return c;
}

bool has_attachments(const BodyPart& root) {
  if (root.multipart()) {
    for (const auto& c : root.parts)
      if (has_attachments(c)) return true;
    return false;
  }
  if (is_attachment(root)) return true;
  // An attached message (message/rfc822) counts even without a filename.
  return root.type == "message" && root.subtype == "rfc822";
}

const BodyPart* find_section(const BodyPart& root, std::string_view section) {
  if (root.section == section && !root.multipart()) return &root;
  for (const auto& c : root.parts)
    if (const auto* f = find_section(c, section)) return f;
  if (root.section == section) return &root;
  return nullptr;
}

std::string decode_transfer(std::string_view bytes, std::string_view encoding) {
  if (encoding == "base64") return base64_decode_lenient(bytes);
  if (encoding == "quoted-printable") return mime::qp_decode(bytes);
  return std::string(bytes);
}

std::string decode_text(std::string_view bytes, std::string_view encoding, std::string_view charset) {
  return mime::to_utf8(decode_transfer(bytes, encoding), charset.empty() ? "us-ascii" : charset);
}

}  // namespace claret::webmail
