// SEARCH grammar: RFC 9051 §6.4.4 and §9 search-key, RFC 3501 §6.4.4, RFC 4731 §3.1, RFC 5182 §2.1,
// RFC 7162 §3.1.5, RFC 8514 §4.3, RFC 8474 §6.
#include "imap/proto/search_args.hpp"

#include "base/strings.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {
namespace {

using Kind = SearchKey::Kind;

struct KeyName {
  std::string_view name;
  Kind kind;
  enum Operand : std::uint8_t { none, string, date, number, keyword, header, set } operand;
};

constexpr KeyName kKeys[] = {
    {"ALL", Kind::all, KeyName::none},
    {"ANSWERED", Kind::answered, KeyName::none},
    {"DELETED", Kind::deleted, KeyName::none},
    {"DRAFT", Kind::draft, KeyName::none},
    {"FLAGGED", Kind::flagged, KeyName::none},
    {"SEEN", Kind::seen, KeyName::none},
    {"RECENT", Kind::recent, KeyName::none},
    {"NEW", Kind::new_, KeyName::none},
    {"OLD", Kind::old, KeyName::none},
    {"UNANSWERED", Kind::unanswered, KeyName::none},
    {"UNDELETED", Kind::undeleted, KeyName::none},
    {"UNDRAFT", Kind::undraft, KeyName::none},
    {"UNFLAGGED", Kind::unflagged, KeyName::none},
    {"UNSEEN", Kind::unseen, KeyName::none},
    {"KEYWORD", Kind::keyword, KeyName::keyword},
    {"UNKEYWORD", Kind::unkeyword, KeyName::keyword},
    {"BCC", Kind::bcc, KeyName::string},
    {"BODY", Kind::body, KeyName::string},
    {"CC", Kind::cc, KeyName::string},
    {"FROM", Kind::from, KeyName::string},
    {"SUBJECT", Kind::subject, KeyName::string},
    {"TEXT", Kind::text, KeyName::string},
    {"TO", Kind::to, KeyName::string},
    {"HEADER", Kind::header, KeyName::header},
    {"BEFORE", Kind::before, KeyName::date},
    {"ON", Kind::on, KeyName::date},
    {"SINCE", Kind::since, KeyName::date},
    {"SENTBEFORE", Kind::sent_before, KeyName::date},
    {"SENTON", Kind::sent_on, KeyName::date},
    {"SENTSINCE", Kind::sent_since, KeyName::date},
    {"SAVEDBEFORE", Kind::saved_before, KeyName::date},
    {"SAVEDON", Kind::saved_on, KeyName::date},
    {"SAVEDSINCE", Kind::saved_since, KeyName::date},
    {"SAVEDATESUPPORTED", Kind::saved_date_supported, KeyName::none},
    {"LARGER", Kind::larger, KeyName::number},
    {"SMALLER", Kind::smaller, KeyName::number},
    {"UID", Kind::uid, KeyName::set},
    {"EMAILID", Kind::email_id, KeyName::keyword},
    {"THREADID", Kind::thread_id, KeyName::keyword},
};

class SearchParser {
 public:
  SearchParser(Cursor& c, const ParseOptions& opt) : c_(c), opt_(opt) {}

  SearchKey key(std::size_t depth) {
    SearchKey k;
    if (!c_.ok()) return k;
    if (depth > opt_.limits.max_search_depth) {
      c_.fail("Search keys nested too deeply", ParseErrc::limit);
      return k;
    }
    char first = c_.peek();
    if (first == '(') {
      k.kind = Kind::and_;
      c_.list([&] { k.children.push_back(key(depth + 1)); }, false);
      return k;
    }
    if (first == '$' || first == '*' || is_digit(first)) {
      k.kind = Kind::sequence;
      k.set = read_sequence_set(c_, opt_.limits.max_sequence_ranges, true);
      return k;
    }
    if (c_.accept_keyword("NOT")) {
      k.kind = Kind::not_;
      c_.sp();
      k.children.push_back(key(depth + 1));
      return k;
    }
    if (c_.accept_keyword("OR")) {
      k.kind = Kind::or_;
      c_.sp();
      k.children.push_back(key(depth + 1));
      c_.sp();
      k.children.push_back(key(depth + 1));
      return k;
    }
    if (c_.accept_keyword("MODSEQ")) {
      k.kind = Kind::modseq;
      c_.sp();
      // MODSEQ [entry-name SP entry-type-req SP] mod-sequence-valzer (RFC 7162 §3.1.5).
      if (c_.peek() == '"') {
        k.field = c_.string();
        c_.sp();
        std::string_view type = c_.atom();
        if (!(iequals(type, "priv") || iequals(type, "shared") || iequals(type, "all"))) c_.fail("Invalid MODSEQ entry type");
        k.text = to_lower(type);
        c_.sp();
      }
      k.number = c_.number64();
      return k;
    }
    for (const auto& kn : kKeys) {
      if (!c_.accept_keyword(kn.name)) continue;
      k.kind = kn.kind;
      if (kn.operand == KeyName::none) return k;
      c_.sp();
      switch (kn.operand) {
        case KeyName::string:
          k.text = c_.astring();
          break;
        case KeyName::keyword:
          k.text = std::string(c_.atom());  // flag-keyword, or an objectid
          break;
        case KeyName::header:
          k.field = c_.astring();
          c_.sp();
          k.text = c_.astring();
          break;
        case KeyName::date:
          k.date = read_date(c_);
          break;
        case KeyName::number:
          k.number = c_.number64();
          break;
        case KeyName::set:
          k.set = read_sequence_set(c_, opt_.limits.max_sequence_ranges, true);
          break;
        case KeyName::none:
          break;
      }
      return k;
    }
    c_.fail("Unknown search key");
    return k;
  }

 private:
  Cursor& c_;
  const ParseOptions& opt_;
};

}  // namespace

std::string read_charset(Cursor& c) {
  std::string cs = to_upper(c.astring());
  if (c.ok() && cs != "UTF-8" && cs != "US-ASCII") c.fail("Unsupported charset", ParseErrc::bad_charset);
  return cs;
}

SearchKey read_search_program(Cursor& c, const ParseOptions& opt) {
  SearchParser p(c, opt);
  SearchKey all;
  all.kind = Kind::and_;
  all.children.push_back(p.key(1));
  while (c.ok() && c.accept(' ')) all.children.push_back(p.key(1));
  if (!c.ok()) return {};
  if (all.children.size() == 1) {
    SearchKey only = std::move(all.children.front());
    return only;
  }
  return all;
}

Result<SearchArgs> parse_search(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  SearchArgs a;
  if (c.accept_keyword("RETURN")) {
    a.ret.esearch = true;
    c.sp();
    c.list([&] {
      if (c.accept_keyword("MIN"))
        a.ret.min = true;
      else if (c.accept_keyword("MAX"))
        a.ret.max = true;
      else if (c.accept_keyword("ALL"))
        a.ret.all = true;
      else if (c.accept_keyword("COUNT"))
        a.ret.count = true;
      else if (c.accept_keyword("SAVE"))
        a.ret.save = true;
      else
        c.fail("Unknown SEARCH return option");
    });
    // RFC 4731 §3.1: "RETURN ()" means ALL.
    if (!a.ret.min && !a.ret.max && !a.ret.count && !a.ret.save) a.ret.all = true;
    c.sp();
  }
  if (c.accept_keyword("CHARSET")) {
    c.sp();
    a.charset = read_charset(c);
    c.sp();
  }
  a.key = read_search_program(c, opt);
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
