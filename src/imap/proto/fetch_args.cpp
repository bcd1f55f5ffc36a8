// FETCH grammar: RFC 9051 §6.4.5 and §9 fetch-att / section / partial; RFC 3516 §4.2; RFC 7162 §3.1.4, §3.2.6;
// RFC 8514; RFC 8474 §5; RFC 8970 §3.
#include "imap/proto/fetch_args.hpp"

#include "base/strings.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {
namespace {

using Kind = FetchItem::Kind;

bool is_fetch_word_char(char c) { return is_atom_char(c) && c != '[' && c != '<'; }

FetchItem simple(Kind k) {
  FetchItem i;
  i.kind = k;
  return i;
}

// section = "[" [section-spec] "]"; section-spec = section-msgtext / (section-part ["." section-text]);
// section-binary = "[" [section-part] "]".
Section read_section(Cursor& c, bool binary) {
  Section s;
  c.expect('[');
  if (c.accept(']')) return s;
  bool text_follows = false;
  if (is_digit(c.peek())) {
    for (;;) {
      s.part.push_back(c.nz_number());
      if (!c.ok() || !c.accept('.')) break;
      if (!is_digit(c.peek())) {
        text_follows = true;
        break;
      }
    }
  }
  if (binary) {
    if (text_follows) c.fail("Invalid binary section");
    c.expect(']');
    return s;
  }
  if (c.ok() && (s.part.empty() || text_follows)) {
    std::string_view word = c.word(is_fetch_word_char);
    if (iequals(word, "HEADER")) {
      s.text = Section::Text::header;
    } else if (iequals(word, "HEADER.FIELDS") || iequals(word, "HEADER.FIELDS.NOT")) {
      s.text = word.size() == 13 ? Section::Text::header_fields : Section::Text::header_fields_not;
      c.sp();
      c.list([&] { s.fields.push_back(to_upper(c.astring())); }, false);
    } else if (iequals(word, "TEXT")) {
      s.text = Section::Text::text;
    } else if (iequals(word, "MIME") && !s.part.empty()) {
      s.text = Section::Text::mime;
    } else {
      c.fail("Invalid section");
    }
  }
  c.expect(']');
  return s;
}

std::optional<Partial> read_partial(Cursor& c) {
  if (!c.accept('<')) return std::nullopt;
  Partial p;
  p.offset = c.number64();
  c.expect('.');
  p.length = c.nz_number64();
  c.expect('>');
  return p;
}

}  // namespace

void read_fetch_item(Cursor& c, std::vector<FetchItem>& items, bool allow_macro) {
  std::string_view word = c.word(is_fetch_word_char);
  if (!c.ok()) return;
  std::string w = to_upper(word);
  if (allow_macro && (w == "ALL" || w == "FAST" || w == "FULL")) {
    items.push_back(simple(Kind::flags));
    items.push_back(simple(Kind::internal_date));
    items.push_back(simple(Kind::rfc822_size));
    if (w != "FAST") items.push_back(simple(Kind::envelope));
    if (w == "FULL") items.push_back(simple(Kind::body_structure_basic));
    return;
  }
  static constexpr std::pair<std::string_view, Kind> kSimple[] = {
      {"ENVELOPE", Kind::envelope},          {"FLAGS", Kind::flags},
      {"INTERNALDATE", Kind::internal_date}, {"RFC822", Kind::rfc822},
      {"RFC822.HEADER", Kind::rfc822_header}, {"RFC822.SIZE", Kind::rfc822_size},
      {"RFC822.TEXT", Kind::rfc822_text},    {"BODYSTRUCTURE", Kind::body_structure},
      {"UID", Kind::uid},                    {"MODSEQ", Kind::modseq},
      {"SAVEDATE", Kind::save_date},         {"EMAILID", Kind::email_id},
      {"THREADID", Kind::thread_id},
  };
  for (const auto& [name, kind] : kSimple)
    if (w == name) {
      items.push_back(simple(kind));
      return;
    }
  FetchItem item;
  if (w == "BODY" || w == "BODY.PEEK") {
    item.peek = w == "BODY.PEEK";
    if (c.peek() != '[') {
      if (item.peek) c.fail("BODY.PEEK needs a section");
      items.push_back(simple(Kind::body_structure_basic));
      return;
    }
    item.kind = Kind::body_section;
    item.section = read_section(c, false);
    item.partial = read_partial(c);
  } else if (w == "BINARY" || w == "BINARY.PEEK") {
    item.kind = Kind::binary;
    item.peek = w == "BINARY.PEEK";
    item.section = read_section(c, true);
    item.partial = read_partial(c);
  } else if (w == "BINARY.SIZE") {
    item.kind = Kind::binary_size;
    item.section = read_section(c, true);
  } else if (w == "PREVIEW") {
    item.kind = Kind::preview;
    if (c.peek() == ' ' && c.peek(1) == '(') {
      c.sp();
      c.list([&] {
        if (c.accept_keyword("LAZY"))
          item.lazy = true;
        else
          c.fail("Unknown PREVIEW modifier");
      });
    }
  } else {
    c.fail("Unknown FETCH item");
    return;
  }
  if (c.ok()) items.push_back(std::move(item));
}

std::string section_string(const Section& s) {
  std::string out;
  for (std::size_t k = 0; k < s.part.size(); ++k) {
    if (k) out += '.';
    out += std::to_string(s.part[k]);
  }
  auto text = [&](std::string_view t) {
    if (!out.empty()) out += '.';
    out += t;
  };
  switch (s.text) {
    case Section::Text::none: break;
    case Section::Text::header: text("HEADER"); break;
    case Section::Text::text: text("TEXT"); break;
    case Section::Text::mime: text("MIME"); break;
    case Section::Text::header_fields:
    case Section::Text::header_fields_not: {
      text(s.text == Section::Text::header_fields ? "HEADER.FIELDS (" : "HEADER.FIELDS.NOT (");
      for (std::size_t k = 0; k < s.fields.size(); ++k) {
        if (k) out += ' ';
        out += s.fields[k];
      }
      out += ')';
      break;
    }
  }
  return out;
}

std::string FetchItem::response_name() const {
  std::string out;
  switch (kind) {
    case Kind::body_section: out = "BODY["; break;
    case Kind::binary: out = "BINARY["; break;
    case Kind::binary_size: out = "BINARY.SIZE["; break;
    default: return {};
  }
  out += section_string(section);
  out += ']';
  if (partial && kind != Kind::binary_size) out += "<" + std::to_string(partial->offset) + ">";
  return out;
}

Result<FetchArgs> parse_fetch(std::string_view args, const ParseOptions& opt, bool uid) {
  Cursor c(args);
  FetchArgs a;
  a.set = read_sequence_set(c, opt.limits.max_sequence_ranges, true);
  c.sp();
  if (c.peek() == '(')
    c.list([&] { read_fetch_item(c, a.items, false); }, false);
  else
    read_fetch_item(c, a.items, true);
  if (c.accept(' ')) {
    c.list(
        [&] {
          if (c.accept_keyword("CHANGEDSINCE")) {
            c.sp();
            a.changed_since = c.number64();
          } else if (c.accept_keyword("VANISHED")) {
            a.vanished = true;
          } else {
            c.fail("Unknown FETCH modifier");
          }
        },
        false);
    // RFC 7162 §3.2.6: VANISHED only in UID FETCH, and only together with CHANGEDSINCE.
    if (c.ok() && a.vanished && (!uid || !a.changed_since)) c.fail("VANISHED needs UID FETCH and CHANGEDSINCE");
  }
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
