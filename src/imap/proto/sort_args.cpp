// SORT / THREAD grammar: RFC 5256 §3 and §5 (sort-criteria, thread algorithms), RFC 5957 §3 (DISPLAYFROM,
// DISPLAYTO), RFC 5267 §3.2 (sort-return-opts).
#include "imap/proto/sort_args.hpp"

#include "base/strings.hpp"

namespace claret::imap::proto {
namespace {

constexpr std::pair<std::string_view, SortCriterion::Key> kSortKeys[] = {
    {"ARRIVAL", SortCriterion::Key::arrival}, {"CC", SortCriterion::Key::cc},
    {"DATE", SortCriterion::Key::date},       {"FROM", SortCriterion::Key::from},
    {"SIZE", SortCriterion::Key::size},       {"SUBJECT", SortCriterion::Key::subject},
    {"TO", SortCriterion::Key::to},           {"DISPLAYFROM", SortCriterion::Key::display_from},
    {"DISPLAYTO", SortCriterion::Key::display_to},
};

}  // namespace

Result<SortArgs> parse_sort(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  SortArgs a;
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
      else
        c.fail("Unknown SORT return option");
    });
    if (!a.ret.min && !a.ret.max && !a.ret.count) a.ret.all = true;
    c.sp();
  }
  c.list(
      [&] {
        SortCriterion crit;
        if (c.accept_keyword("REVERSE")) {
          crit.reverse = true;
          c.sp();
        }
        std::string_view word = c.atom();
        bool found = false;
        for (const auto& [name, key] : kSortKeys)
          if (iequals(word, name)) {
            crit.key = key;
            found = true;
          }
        if (!found) c.fail("Unknown sort key");
        a.criteria.push_back(crit);
      },
      false);
  c.sp();
  a.charset = read_charset(c);
  c.sp();
  a.key = read_search_program(c, opt);
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

Result<ThreadArgs> parse_thread(std::string_view args, const ParseOptions& opt) {
  Cursor c(args);
  ThreadArgs a;
  if (c.accept_keyword("REFERENCES"))
    a.algorithm = ThreadArgs::Algorithm::references;
  else if (c.accept_keyword("ORDEREDSUBJECT"))
    a.algorithm = ThreadArgs::Algorithm::ordered_subject;
  else
    c.fail("Unknown thread algorithm");
  c.sp();
  a.charset = read_charset(c);
  c.sp();
  a.key = read_search_program(c, opt);
  c.expect_end();
  if (!c.ok()) return c.error();
  return a;
}

}  // namespace claret::imap::proto
