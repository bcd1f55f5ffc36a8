// FETCH msg-att readers: envelope (RFC 9051 §7.5.2 ENVELOPE, address groups skipped), body structure
// (multipart / basic / text / message/rfc822 with extension data) and the simple items.
#include "imap/client/fetch.hpp"

#include <cctype>

namespace claret::imap::client {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}
std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Error bad(std::string what) { return make_error("malformed IMAP FETCH response: " + what); }

// nstring → text ("" for NIL); atoms are tolerated (some servers send NIL-like atoms unquoted).
Result<std::string> nstring(const Value& v, std::string_view what) {
  if (v.is_nil()) return std::string{};
  if (v.is_text()) return v.text;
  return bad(std::string(what) + ": string expected");
}

Result<std::vector<EnvelopeAddress>> addresses(const Value& v) {
  std::vector<EnvelopeAddress> out;
  if (v.is_nil()) return out;
  if (!v.is_list()) return bad("address list expected");
  for (const auto& a : v.items) {
    if (!a.is_list() || a.items.size() != 4) return bad("address must have 4 fields");
    EnvelopeAddress ea;
    auto name = nstring(a.items[0], "address name");
    auto mailbox = nstring(a.items[2], "address mailbox");
    auto host = nstring(a.items[3], "address host");
    if (!name || !mailbox || !host) return bad("address fields must be strings");
    // RFC 9051 §7.5.2: host NIL marks the start (mailbox = group name) or end of a group; not an address.
    if (a.items[3].is_nil()) continue;
    ea.name = std::move(*name);
    ea.mailbox = std::move(*mailbox);
    ea.host = std::move(*host);
    out.push_back(std::move(ea));
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> params(const Value& v) {
  std::vector<std::pair<std::string, std::string>> out;
  if (v.is_nil()) return out;
  if (!v.is_list() || v.items.size() % 2 != 0) return bad("body parameter list expected");
  for (std::size_t i = 0; i + 1 < v.items.size(); i += 2) {
    if (!v.items[i].is_text() || !(v.items[i + 1].is_text() || v.items[i + 1].is_nil()))
      return bad("body parameters must be strings");
    out.emplace_back(lower(v.items[i].text), v.items[i + 1].text);
  }
  return out;
}

Status disposition(const Value& v, BodyPart& p) {
  if (v.is_nil()) return {};
  if (!v.is_list() || v.items.size() != 2 || !v.items[0].is_text()) return bad("body disposition expected");
  p.disposition = lower(v.items[0].text);
  auto dp = params(v.items[1]);
  if (!dp) return dp.error();
  p.disposition_params = std::move(*dp);
  return {};
}

std::uint64_t number_or_zero(const Value& v) { return v.number().value_or(0); }

Result<BodyPart> body(const Value& v, std::size_t depth) {
  if (!v.is_list() || v.items.empty()) return bad("body structure must be a non-empty list");
  if (depth > kMaxValueDepth) return bad("body structure nested too deeply");
  BodyPart p;
  const auto& it = v.items;
  if (it[0].is_list()) {
    // body-type-mpart = 1*body SP media-subtype [SP body-ext-mpart]
    std::size_t i = 0;
    for (; i < it.size() && it[i].is_list(); ++i) {
      auto child = body(it[i], depth + 1);
      if (!child) return child.error();
      p.parts.push_back(std::move(*child));
    }
    if (i >= it.size() || !it[i].is_text()) return bad("multipart subtype expected");
    p.type = "multipart";
    p.subtype = lower(it[i].text);
    ++i;
    if (i < it.size()) {
      auto pr = params(it[i]);
      if (!pr) return pr.error();
      p.params = std::move(*pr);
      ++i;
    }
    if (i < it.size()) {
      auto st = disposition(it[i], p);
      if (!st) return st.error();
    }
    return p;
  }
  // body-type-1part: type subtype params id description encoding size [...]
  if (it.size() < 7) return bad("single-part body needs at least 7 fields");
  if (!it[0].is_text() || !it[1].is_text()) return bad("media type and subtype must be strings");
  p.type = lower(it[0].text);
  p.subtype = lower(it[1].text);
  auto pr = params(it[2]);
  if (!pr) return pr.error();
  p.params = std::move(*pr);
  auto id = nstring(it[3], "body id");
  auto desc = nstring(it[4], "body description");
  auto enc = nstring(it[5], "body encoding");
  if (!id || !desc || !enc) return bad("body fields must be strings");
  p.id = std::move(*id);
  p.description = std::move(*desc);
  p.encoding = lower(std::move(*enc));
  if (!it[6].number()) return bad("body size must be a number");
  p.size = *it[6].number();
  std::size_t i = 7;
  if (p.type == "message" && (p.subtype == "rfc822" || p.subtype == "global") && it.size() >= 10 &&
      it[7].is_list()) {
    // envelope body body-fld-lines
    auto inner = body(it[8], depth + 1);
    if (!inner) return inner.error();
    p.parts.push_back(std::move(*inner));
    p.lines = number_or_zero(it[9]);
    i = 10;
  } else if (p.type == "text") {
    if (it.size() < 8) return bad("text body needs a line count");
    p.lines = number_or_zero(it[7]);
    i = 8;
  }
  // body-ext-1part: md5 [disposition [language [location]]]
  if (i + 1 < it.size()) {
    auto st = disposition(it[i + 1], p);
    if (!st) return st.error();
  }
  return p;
}

void number_sections(BodyPart& p, const std::string& section) {
  p.section = section;
  auto join = [&](std::size_t i) { return section.empty() ? std::to_string(i) : section + "." + std::to_string(i); };
  if (p.multipart()) {
    for (std::size_t i = 0; i < p.parts.size(); ++i) {
      number_sections(p.parts[i], join(i + 1));
    }
  } else if (!p.parts.empty()) {
    // message/rfc822: a multipart body's children are S.1, S.2…; a single-part body is S.1.
    auto& inner = p.parts[0];
    if (inner.multipart())
      number_sections(inner, section);
    else
      number_sections(inner, section + ".1");
  }
}

std::string find(const std::vector<std::pair<std::string, std::string>>& list, std::string_view name) {
  for (const auto& [k, v] : list)
    if (k == lower(std::string(name))) return v;
  return {};
}

}  // namespace

std::string BodyPart::param(std::string_view name) const { return find(params, name); }
std::string BodyPart::disposition_param(std::string_view name) const { return find(disposition_params, name); }

Result<Envelope> parse_envelope(const Value& v) {
  if (!v.is_list() || v.items.size() < 10) return bad("ENVELOPE must be a list of 10 fields");
  const auto& it = v.items;
  Envelope e;
  auto date = nstring(it[0], "envelope date");
  auto subject = nstring(it[1], "envelope subject");
  auto irt = nstring(it[8], "envelope in-reply-to");
  auto mid = nstring(it[9], "envelope message-id");
  if (!date || !subject || !irt || !mid) return bad("envelope fields must be strings");
  e.date = std::move(*date);
  e.subject = std::move(*subject);
  e.in_reply_to = std::move(*irt);
  e.message_id = std::move(*mid);
  std::vector<EnvelopeAddress>* lists[] = {&e.from, &e.sender, &e.reply_to, &e.to, &e.cc, &e.bcc};
  for (int i = 0; i < 6; ++i) {
    auto a = addresses(it[2 + i]);
    if (!a) return a.error();
    *lists[i] = std::move(*a);
  }
  return e;
}

Result<BodyPart> parse_bodystructure(const Value& v) {
  auto p = body(v, 0);
  if (!p) return p;
  number_sections(*p, p->multipart() ? "" : "1");
  return p;
}

Result<FetchData> parse_fetch(std::uint32_t seq, const Value& list) {
  if (!list.is_list()) return bad("FETCH data must be a parenthesised list");
  if (list.items.size() % 2 != 0) return bad("FETCH items must come in name/value pairs");
  FetchData f;
  f.seq = seq;
  for (std::size_t i = 0; i + 1 < list.items.size(); i += 2) {
    const auto& name_v = list.items[i];
    const auto& val = list.items[i + 1];
    if (!name_v.is_atom()) return bad("FETCH item name expected");
    auto name = upper(name_v.text);
    if (name == "UID") {
      auto n = val.number();
      if (!n || *n == 0 || *n > 0xffffffffu) return bad("UID must be a non-zero 32-bit number");
      f.uid = static_cast<std::uint32_t>(*n);
    } else if (name == "FLAGS") {
      if (!val.is_list()) return bad("FLAGS must be a list");
      std::vector<std::string> flags;
      for (const auto& fl : val.items) {
        if (!fl.is_atom()) return bad("flags must be atoms");
        flags.push_back(fl.text);
      }
      f.flags = std::move(flags);
    } else if (name == "INTERNALDATE") {
      if (!val.is_string()) return bad("INTERNALDATE must be a quoted date-time");
      f.internaldate = val.text;
    } else if (name == "RFC822.SIZE") {
      if (!val.number()) return bad("RFC822.SIZE must be a number");
      f.size = *val.number();
    } else if (name == "MODSEQ") {
      if (!val.is_list() || val.items.size() != 1 || !val.items[0].number()) return bad("MODSEQ must be (number)");
      f.modseq = *val.items[0].number();
    } else if (name == "ENVELOPE") {
      auto e = parse_envelope(val);
      if (!e) return e.error();
      f.envelope = std::move(*e);
    } else if (name == "BODYSTRUCTURE" || name == "BODY") {
      auto b = parse_bodystructure(val);
      if (!b) return b.error();
      f.bodystructure = std::move(*b);
    } else if (name == "PREVIEW") {
      auto p = nstring(val, "PREVIEW");
      if (!p) return p.error();
      f.preview = std::move(*p);
    } else if (name.starts_with("BODY[") || name.starts_with("BINARY[") || name.starts_with("RFC822")) {
      auto key = name;
      if (auto lt = key.find('<', key.find(']') == std::string::npos ? 0 : key.find(']')); lt != std::string::npos)
        key.erase(lt);
      auto s = nstring(val, "section data");
      if (!s) return s.error();
      f.sections[key] = std::move(*s);
    }
    // Other items (EMAILID, THREADID, X-…, BINARY.SIZE) are not needed and skipped.
  }
  return f;
}

}  // namespace claret::imap::client
