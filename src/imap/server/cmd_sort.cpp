// SORT and UID SORT (RFC 5256 §3) with SORT=DISPLAY (RFC 5957) and ESORT's RETURN (RFC 5267 §3): the search
// program narrows the messages first (search_engine.cpp), and only the matches are read and sorted; ARRIVAL and
// SIZE need only the small columns (fetch_records), the others the sort columns too (fetch_sort_fields, never the
// ENVELOPE or BODYSTRUCTURE). Ties fall back to the message order (RFC 5256 §3: "sequence number"). New mail is
// caught up first (EXISTS before the answer, as NOOP would), so the answer covers it.
#include <algorithm>

#include "base/strings.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/search_engine.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

using Key = proto::SortCriterion::Key;

bool needs_meta(const std::vector<proto::SortCriterion>& criteria) {
  return std::any_of(criteria.begin(), criteria.end(),
                     [](const auto& c) { return c.key != Key::arrival && c.key != Key::size; });
}

// RFC 5256 §3: FROM, TO and CC compare the addr-mailbox (local part) of the first address, case-insensitively
// (the store keeps addresses lower-cased).
std::string_view local_part(std::string_view addr) { return addr.substr(0, addr.find('@')); }


std::int64_t key_number(const store::MessageRecord& r, Key key) {
  switch (key) {
    case Key::arrival: return r.internaldate;
    case Key::size: return static_cast<std::int64_t>(r.size);
    // RFC 5256 §3 DATE: the sent date, or the internal date when the message has none.
    case Key::date: return r.meta.sent_date != 0 ? r.meta.sent_date : r.internaldate;
    default: return 0;
  }
}

std::string key_text(const store::MessageRecord& r, Key key) {
  switch (key) {
    case Key::cc: return std::string(local_part(r.meta.cc_addr));
    case Key::from: return std::string(local_part(r.meta.from_addr));
    case Key::to: return std::string(local_part(r.meta.to_addr));
    case Key::subject: return to_lower(r.meta.subject);  // already the base subject (RFC 5256 §2.1)
    // RFC 5957 §3: the display name, else the address. The store has no To display name: the address is used.
    case Key::display_from: return to_lower(r.meta.from_name.empty() ? r.meta.from_addr : r.meta.from_name);
    case Key::display_to: return r.meta.to_addr;
    default: return {};
  }
}

bool is_numeric(Key key) { return key == Key::arrival || key == Key::size || key == Key::date; }

struct Sorted {
  std::vector<std::uint32_t> uids;  // in sort order
  std::uint64_t highest_modseq = 0;
};

// Blocking (offloaded).
Result<Sorted> sort_blocking(store::Store& st, store::MailStore& ms, store::MailboxId mailbox,
                             const proto::SortArgs& args, const SearchContext& ctx, bool want_modseq) {
  auto found = run_search(st, ms, mailbox, args.key, ctx, want_modseq);
  if (!found) return found.error();
  Sorted out;
  out.highest_modseq = found->highest_modseq;
  if (found->uids.empty()) return out;
  auto records = needs_meta(args.criteria) ? ms.fetch_sort_fields(mailbox, store::UidSet::of(found->uids))
                                           : ms.fetch_records(mailbox, store::UidSet::of(found->uids));
  if (!records) return records.error();
  // Keys are computed once per message, not once per comparison.
  struct Row {
    std::uint32_t uid;
    std::vector<std::int64_t> numbers;
    std::vector<std::string> texts;
  };
  std::vector<Row> rows;
  rows.reserve(records->size());
  for (const auto& r : *records) {
    Row row{r.uid, {}, {}};
    for (const auto& c : args.criteria) {
      if (is_numeric(c.key)) row.numbers.push_back(key_number(r, c.key));
      else row.texts.push_back(key_text(r, c.key));
    }
    rows.push_back(std::move(row));
  }
  const auto& criteria = args.criteria;
  std::sort(rows.begin(), rows.end(), [&criteria](const Row& a, const Row& b) {
    std::size_t ni = 0, ti = 0;
    for (const auto& c : criteria) {
      int cmp = 0;
      if (is_numeric(c.key)) {
        cmp = a.numbers[ni] < b.numbers[ni] ? -1 : a.numbers[ni] > b.numbers[ni] ? 1 : 0;
        ++ni;
      } else {
        cmp = a.texts[ti].compare(b.texts[ti]);
        cmp = cmp < 0 ? -1 : cmp > 0 ? 1 : 0;
        ++ti;
      }
      if (c.reverse) cmp = -cmp;
      if (cmp != 0) return cmp < 0;
    }
    return a.uid < b.uid;  // UID order is message order
  });
  out.uids.reserve(rows.size());
  for (const auto& row : rows) out.uids.push_back(row.uid);
  return out;
}

// ESORT ALL (RFC 5267 §3.1) keeps the sort order; only ascending runs collapse into ranges.
std::string ordered_set(const std::vector<std::uint32_t>& numbers) {
  std::string out;
  for (std::size_t i = 0; i < numbers.size();) {
    std::size_t j = i;
    while (j + 1 < numbers.size() && numbers[j + 1] == numbers[j] + 1) ++j;
    if (!out.empty()) out += ',';
    out += std::to_string(numbers[i]);
    if (j > i) out += ':' + std::to_string(numbers[j]);
    i = j + 1;
  }
  return out;
}

}  // namespace

Task cmd_sort(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::SortArgs>(cmd.args);
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_sort;
  const bool want_modseq = uses_modseq(args.key);
  if (want_modseq) s.condstore = true;
  // Catch up with new mail first, so the answer covers it and the client needs no NOOP (RFC 9051 §7.5.1 allows
  // EXISTS here; EXPUNGE only for the UID form). As NOOP, the UID list is re-read: other processes' deliveries
  // (claret deliver) are not on the change bus, and the bus may not have told us of a commit that just returned.
  s.force_refresh = true;
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = s.selected->id();
  const SearchContext ctx{*s.selected, s.saved_result};
  const proto::SortArgs* a = &args;
  auto sorted = co_await io::offload(
      [&st, ms, mailbox, a, &ctx, want_modseq] { return sort_blocking(st, *ms, mailbox, *a, ctx, want_modseq); });
  if (!sorted) {
    ErrorReply r = map_store_error(sorted.error(), s.cid(), "imap.sort.error");
    s.no(cmd.tag, r.text, r.code);
    co_return;
  }
  std::vector<std::uint32_t> numbers;
  numbers.reserve(sorted->uids.size());
  for (auto uid : sorted->uids) {
    if (uid_mode) numbers.push_back(uid);
    else if (auto seq = s.selected->seq_of(uid)) numbers.push_back(*seq);
  }
  std::optional<std::uint64_t> modseq;
  if (want_modseq && !numbers.empty()) modseq = sorted->highest_modseq;
  if (args.ret.esearch) {
    proto::EsearchResult r;
    const bool none = !args.ret.min && !args.ret.max && !args.ret.all && !args.ret.count;
    if (!numbers.empty()) {
      if (args.ret.min) r.min = numbers.front();  // first in sort order (RFC 5267 §3.1)
      if (args.ret.max) r.max = numbers.back();
      if (args.ret.all || none) r.all = ordered_set(numbers);
    }
    if (args.ret.count) r.count = static_cast<std::uint32_t>(numbers.size());
    r.modseq = modseq;
    s.send(proto::esearch_response(cmd.tag, uid_mode, r));
  } else {
    s.send(proto::sort_response(numbers, modseq));
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID SORT completed" : "SORT completed");
}

}  // namespace claret::imap::server
