// IMAP BODY / BODYSTRUCTURE serialization: RFC 3501 §7.4.2 and §9 (body-type-1part, body-type-mpart,
// body-ext-1part, body-ext-mpart), RFC 2045 §5.2 defaults, RFC 2231 parameters re-encoded as "name*".
#include "mime/imap_bodystructure.hpp"

#include "base/strings.hpp"
#include "mime/imap_envelope.hpp"
#include "mime/imap_writer.hpp"

namespace claret::mime {
namespace {

// RFC 2231 attribute-char: CHAR except SPACE, CTLs, "*", "'", "%" and tspecials (RFC 2045 §5.1).
bool is_attribute_char(unsigned char c) {
  if (c <= 32 || c >= 127) return false;
  return std::string_view("*'%()<>@,;:\\\"/[]?=").find(static_cast<char>(c)) == std::string_view::npos;
}

std::string percent_encode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    if (is_attribute_char(c)) {
      out += ch;
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

// body-fld-param: ("NAME" "value" ...) or NIL. Extended (RFC 2231) values go back out as NAME* with the
// UTF-8 value percent-encoded, so the list stays 7-bit like the original header.
std::string params_list(const std::vector<Param>& params) {
  if (params.empty()) return "NIL";
  ImapWriter w;
  w.open();
  for (const Param& p : params) {
    if (p.extended) {
      w.string(to_upper(p.name) + "*");
      w.string("utf-8'" + p.language + "'" + percent_encode(p.value));
    } else {
      w.string(to_upper(p.name));
      w.string(p.value);
    }
  }
  w.close();
  return w.take();
}

std::optional<std::string> unfolded(const ParsedMessage& msg, const Part& p, std::string_view field) {
  const auto value = msg.header(p, field);
  if (!value) return std::nullopt;
  return unfold(*value);
}

std::optional<std::string_view> view(const std::optional<std::string>& s) {
  return s ? std::optional<std::string_view>(*s) : std::nullopt;
}

// body-fld-dsp SP body-fld-lang SP body-fld-loc.
std::string extension_tail(const ParsedMessage& msg, const Part& p) {
  ImapWriter w;
  if (const auto dsp = msg.header(p, "content-disposition")) {
    const ContentDisposition cd = parse_content_disposition(*dsp);
    if (cd.type.empty()) {
      w.nil();
    } else {
      w.open();
      w.string(to_upper(cd.type));
      w.raw(params_list(cd.params));
      w.close();
    }
  } else {
    w.nil();
  }
  if (const auto lang = unfolded(msg, p, "content-language")) {
    std::vector<std::string> tags;
    for (std::string_view t : split(*lang, ','))
      if (!trim(t).empty()) tags.emplace_back(trim(t));
    if (tags.empty()) {
      w.nil();
    } else if (tags.size() == 1) {
      w.string(tags[0]);
    } else {
      w.open();
      for (const auto& t : tags) w.string(t);
      w.close();
    }
  } else {
    w.nil();
  }
  // A folded URL must not keep the folding whitespace (RFC 2557 §4.4.2).
  if (auto loc = unfolded(msg, p, "content-location")) {
    std::string compact;
    for (char c : *loc)
      if (c != ' ' && c != '\t') compact += c;
    w.string(compact);
  } else {
    w.nil();
  }
  return w.take();
}

class Writer {
 public:
  Writer(const ParsedMessage& msg, bool extended) : msg_(msg), extended_(extended) {}

  std::string body(const Part& p) {
    if (p.kind == PartKind::kMultipart) return multipart(p);
    return single(p);
  }

 private:
  std::string multipart(const Part& p) {
    std::string out = "(";
    for (uint32_t c : msg_.children(p)) out += body(msg_.part(c));  // 1*body: no space between (§9)
    ImapWriter w;
    w.string(to_upper(p.content_type.subtype));
    if (extended_) {
      w.raw(params_list(p.content_type.params));
      w.raw(extension_tail(msg_, p));
    }
    out += ' ';
    out += w.take();
    out += ')';
    return out;
  }

  std::string single(const Part& p) {
    ImapWriter w;
    w.open();
    const bool unparsed_message =
        p.kind == PartKind::kLeaf && p.content_type.type == "message" &&
        (p.content_type.subtype == "rfc822" || p.content_type.subtype == "global");
    // A message/rfc822 part we did not parse (encoded, or too deep) cannot carry an envelope; calling it
    // application/octet-stream keeps clients' BODYSTRUCTURE parsers on the body-type-basic grammar.
    w.string(unparsed_message ? "APPLICATION" : to_upper(p.content_type.type));
    w.string(unparsed_message ? "OCTET-STREAM" : to_upper(p.content_type.subtype));
    w.raw(params_list(p.content_type.params));
    w.nstring(view(unfolded(msg_, p, "content-id")));
    w.nstring(view(unfolded(msg_, p, "content-description")));
    w.string(to_upper(p.encoding));
    w.number(p.body_size);
    if (p.kind == PartKind::kMessage) {
      const Part* inner = msg_.embedded(p);
      w.raw(imap_envelope(msg_, *inner));
      w.raw(body(*inner));
      w.number(p.body_lines);
    } else if (p.content_type.type == "text") {
      w.number(p.body_lines);
    }
    if (extended_) {
      w.nstring(view(unfolded(msg_, p, "content-md5")));
      w.raw(extension_tail(msg_, p));
    }
    w.close();
    return w.take();
  }

  const ParsedMessage& msg_;
  bool extended_;
};

}  // namespace

std::string imap_bodystructure(const ParsedMessage& msg, bool extended) {
  return Writer(msg, extended).body(msg.root());
}

}  // namespace claret::mime
