// The search engine behind SEARCH, SORT and THREAD (RFC 9051 §6.4.4, RFC 3501 §6.4.4, MODSEQ RFC 7162 §3.1.5,
// "$" RFC 5182, SAVEDATE RFC 8514, \Recent RFC 3501): keys the store can answer (flags, keywords, UID and sequence
// sets, sizes, internal and save dates, MODSEQ, this session's \Recent UIDs,
// TEXT/BODY through the full-text index) become a store::SearchKey; header, address and sent-date keys are
// evaluated against the stored metadata and, for arbitrary fields, the stored header block.
#include "imap/server/search_engine.hpp"

#include <algorithm>

#include "base/strings.hpp"
#include "imap/server/envelope_text.hpp"
#include "imap/server/header_filter.hpp"
#include "mime/part_map.hpp"

namespace claret::imap::server {

namespace {

using PKind = proto::SearchKey::Kind;
constexpr std::int64_t kDay = 86400;

// nullopt when the key (or a key below it) needs evaluation outside the store.
// "$" (RFC 5182): the saved result, limited to messages still in the view.
store::UidSet saved_in_view(const SearchContext& ctx) {
  std::vector<std::uint32_t> uids;
  for (auto uid : ctx.saved)
    if (ctx.view.seq_of(uid)) uids.push_back(uid);
  return store::UidSet::of(uids);
}

std::optional<store::SearchKey> to_store(const proto::SearchKey& k, const SearchContext& ctx) {
  const SelectedMailbox& view = ctx.view;
  using store::SearchKey;
  namespace f = store::flag;
  switch (k.kind) {
    case PKind::all: return SearchKey::all();
    case PKind::answered: return SearchKey::with_flags(f::kAnswered);
    case PKind::deleted: return SearchKey::with_flags(f::kDeleted);
    case PKind::draft: return SearchKey::with_flags(f::kDraft);
    case PKind::flagged: return SearchKey::with_flags(f::kFlagged);
    case PKind::seen: return SearchKey::with_flags(f::kSeen);
    case PKind::unanswered: return SearchKey::without_flags(f::kAnswered);
    case PKind::undeleted: return SearchKey::without_flags(f::kDeleted);
    case PKind::undraft: return SearchKey::without_flags(f::kDraft);
    case PKind::unflagged: return SearchKey::without_flags(f::kFlagged);
    case PKind::unseen: return SearchKey::without_flags(f::kSeen);
    // \Recent is this session's (RFC 3501 §6.4.4): NEW is RECENT UNSEEN, OLD is NOT RECENT.
    case PKind::recent: return SearchKey::uid_set(store::UidSet::of(view.recent_uids()));
    case PKind::new_:
      return SearchKey::all_of(
          {SearchKey::uid_set(store::UidSet::of(view.recent_uids())), SearchKey::without_flags(f::kSeen)});
    case PKind::old: return SearchKey::negate(SearchKey::uid_set(store::UidSet::of(view.recent_uids())));
    // SAVEDATE (RFC 8514 §5): like BEFORE/ON/SINCE on the save date; every claret mailbox keeps save dates.
    case PKind::saved_before: return SearchKey::saved_before_time(proto::to_unix(k.date));
    case PKind::saved_since: return SearchKey::saved_since_time(proto::to_unix(k.date));
    case PKind::saved_on:
      return SearchKey::all_of({SearchKey::saved_since_time(proto::to_unix(k.date)),
                                SearchKey::saved_before_time(proto::to_unix(k.date) + kDay)});
    case PKind::saved_date_supported: return SearchKey::all();
    case PKind::keyword: return SearchKey::has_keyword(k.text);
    case PKind::unkeyword: return SearchKey::lacks_keyword(k.text);
    case PKind::body:
    case PKind::text: return SearchKey::full_text(k.text);
    case PKind::before: return SearchKey::before_time(proto::to_unix(k.date));
    case PKind::since: return SearchKey::since_time(proto::to_unix(k.date));
    case PKind::on:
      return SearchKey::all_of({SearchKey::since_time(proto::to_unix(k.date)),
                                SearchKey::before_time(proto::to_unix(k.date) + kDay)});
    case PKind::larger: return SearchKey::larger_than(static_cast<std::int64_t>(k.number));
    case PKind::smaller: return SearchKey::smaller_than(static_cast<std::int64_t>(k.number));
    case PKind::uid:
    case PKind::sequence:
      if (k.set.is_saved_result()) return SearchKey::uid_set(saved_in_view(ctx));
      if (k.kind == PKind::uid) return SearchKey::uid_set(view.uids_for_uid_set(k.set));
      {
      bool out_of_range = false;  // numbers past the end simply match nothing in SEARCH
      return SearchKey::uid_set(view.uids_for_sequence(k.set, out_of_range));
    }
    case PKind::modseq: return SearchKey::modseq_at_least(static_cast<std::int64_t>(k.number));
    case PKind::not_: {
      auto c = to_store(k.children.at(0), ctx);
      if (!c) return std::nullopt;
      return SearchKey::negate(std::move(*c));
    }
    case PKind::or_:
    case PKind::and_: {
      std::vector<SearchKey> children;
      for (const auto& child : k.children) {
        auto c = to_store(child, ctx);
        if (!c) return std::nullopt;
        children.push_back(std::move(*c));
      }
      return k.kind == PKind::or_ ? SearchKey::any_of(std::move(children)) : SearchKey::all_of(std::move(children));
    }
    default: return std::nullopt;
  }
}

bool contains_ci(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
  auto it = std::search(hay.begin(), hay.end(), needle.begin(), needle.end(),
                        [&lower](char a, char b) { return lower(a) == lower(b); });
  return it != hay.end();
}

// Evaluates keys on one message in memory; the header block is read from the blob only when a key needs it.
class Evaluator {
 public:
  Evaluator(store::Store& st, const store::MessageRecord& r, const SearchContext& ctx)
      : st_(st), r_(r), ctx_(ctx) {}

  bool eval(const proto::SearchKey& k) {
    switch (k.kind) {
      case PKind::and_:
        for (const auto& c : k.children)
          if (!eval(c)) return false;
        return true;
      case PKind::or_:
        for (const auto& c : k.children)
          if (eval(c)) return true;
        return false;
      case PKind::not_: return !eval(k.children.at(0));
      // "Messages that contain the specified string in the envelope structure's ... field" (RFC 9051 §6.4.4):
      // the stored ENVELOPE, decoded; the header block only if the envelope cannot be read.
      case PKind::from:
        if (const EnvelopeText* e = envelope()) return contains_ci(e->from, k.text);
        return field_contains("From", k.text);
      case PKind::to:
        if (const EnvelopeText* e = envelope()) return contains_ci(e->to, k.text);
        return field_contains("To", k.text);
      case PKind::cc:
        if (const EnvelopeText* e = envelope()) return contains_ci(e->cc, k.text);
        return field_contains("Cc", k.text);
      case PKind::bcc:
        if (const EnvelopeText* e = envelope()) return contains_ci(e->bcc, k.text);
        return field_contains("Bcc", k.text);
      case PKind::subject:
        if (const EnvelopeText* e = envelope()) return contains_ci(e->subject, k.text);
        return field_contains("Subject", k.text);
      case PKind::header: return field_contains(k.field, k.text);
      case PKind::sent_before: return day_of(r_.meta.sent_date) < proto::to_unix(k.date);
      case PKind::sent_on: return day_of(r_.meta.sent_date) == proto::to_unix(k.date);
      case PKind::sent_since: return day_of(r_.meta.sent_date) >= proto::to_unix(k.date);
      default:
        // A store-answerable key nested with header keys under OR/NOT: evaluated from the record itself.
        return eval_record(k);
    }
  }

 private:
  static std::int64_t day_of(std::int64_t t) { return t - ((t % kDay) + kDay) % kDay; }

  bool eval_record(const proto::SearchKey& k) {
    namespace f = store::flag;
    const std::uint32_t fl = r_.flags.system;
    switch (k.kind) {
      case PKind::all:
      case PKind::saved_date_supported: return true;
      case PKind::old: return !ctx_.view.is_recent(r_.uid);
      case PKind::recent: return ctx_.view.is_recent(r_.uid);
      case PKind::new_: return ctx_.view.is_recent(r_.uid) && !(fl & f::kSeen);
      case PKind::saved_before: return r_.savedate < proto::to_unix(k.date);
      case PKind::saved_since: return r_.savedate >= proto::to_unix(k.date);
      case PKind::saved_on:
        return r_.savedate >= proto::to_unix(k.date) && r_.savedate < proto::to_unix(k.date) + kDay;
      case PKind::answered: return fl & f::kAnswered;
      case PKind::deleted: return fl & f::kDeleted;
      case PKind::draft: return fl & f::kDraft;
      case PKind::flagged: return fl & f::kFlagged;
      case PKind::seen: return fl & f::kSeen;
      case PKind::unanswered: return !(fl & f::kAnswered);
      case PKind::undeleted: return !(fl & f::kDeleted);
      case PKind::undraft: return !(fl & f::kDraft);
      case PKind::unflagged: return !(fl & f::kFlagged);
      case PKind::unseen: return !(fl & f::kSeen);
      case PKind::keyword:
      case PKind::unkeyword: {
        bool has = false;
        for (const auto& kw : r_.flags.keywords) has = has || iequals(kw, k.text);
        return k.kind == PKind::keyword ? has : !has;
      }
      case PKind::body:
      case PKind::text: return contains_ci(r_.meta.search_text, k.text);
      case PKind::before: return r_.internaldate < proto::to_unix(k.date);
      case PKind::since: return r_.internaldate >= proto::to_unix(k.date);
      case PKind::on:
        return r_.internaldate >= proto::to_unix(k.date) && r_.internaldate < proto::to_unix(k.date) + kDay;
      case PKind::larger: return r_.size > k.number;
      case PKind::smaller: return r_.size < k.number;
      case PKind::modseq: return r_.modseq >= k.number;
      case PKind::uid:
      case PKind::sequence: {
        auto set = to_store(k, ctx_);
        return set && set->uids.contains(r_.uid);
      }
      default: return false;
    }
  }

  // The decoded envelope, read once per message; nullptr if it is not well-formed.
  const EnvelopeText* envelope() {
    if (!envelope_read_) {
      envelope_read_ = true;
      envelope_ = envelope_text(r_.meta.envelope);
    }
    return envelope_ ? &*envelope_ : nullptr;
  }

  bool field_contains(std::string_view field, std::string_view text) {
    if (!header_) {
      header_.emplace();
      if (auto pm = mime::parse_part_map(r_.meta.part_map)) {
        if (auto range = pm->find("HEADER")) {
          if (auto blob = st_.blobs().read_range(r_.blob_id, range->offset, range->size)) *header_ = std::move(*blob);
        }
      }
    }
    std::string fields = filter_header_fields(*header_, {std::string(field)}, true);
    if (fields.size() <= 2) return false;  // no such field: only the final empty line
    // Match against the values only, unfolded.
    std::string values;
    std::size_t pos = 0;
    while (pos < fields.size()) {
      std::size_t eol = fields.find('\n', pos);
      if (eol == std::string::npos) eol = fields.size();
      std::string_view line(fields.data() + pos, eol - pos);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      if (!line.empty() && line[0] != ' ' && line[0] != '\t') {
        std::size_t colon = line.find(':');
        values += '\n';
        if (colon != std::string_view::npos) line = line.substr(colon + 1);
      }
      values.append(line);
      pos = eol + 1;
    }
    if (text.empty()) return true;  // HEADER field "" matches any message with the field (RFC 9051 §6.4.4)
    return contains_ci(values, text);
  }

  store::Store& st_;
  const store::MessageRecord& r_;
  const SearchContext& ctx_;
  std::optional<std::string> header_;
  bool envelope_read_ = false;
  std::optional<EnvelopeText> envelope_;
};

}  // namespace

// The stored metadata the Evaluator reads for `k` (store::meta_part bits): rows are several KB, most of it the
// search text, and columns after it cost a walk of the row's overflow pages.
static std::uint32_t meta_parts_for(const proto::SearchKey& k) {
  namespace mp = store::meta_part;
  std::uint32_t parts = 0;
  switch (k.kind) {
    case PKind::from:
    case PKind::to:
    case PKind::cc:
    case PKind::bcc:
    case PKind::subject: parts = mp::kEnvelope | mp::kPartMap; break;  // the header block if the envelope is unreadable
    case PKind::header: parts = mp::kPartMap; break;
    case PKind::sent_before:
    case PKind::sent_on:
    case PKind::sent_since: parts = mp::kSortFields; break;
    case PKind::body:
    case PKind::text: parts = mp::kSearchText; break;
    default: break;
  }
  for (const auto& c : k.children) parts |= meta_parts_for(c);
  return parts;
}

bool uses_modseq(const proto::SearchKey& k) {
  if (k.kind == PKind::modseq) return true;
  return std::any_of(k.children.begin(), k.children.end(), uses_modseq);
}

Result<SearchOutcome> run_search(store::Store& st, store::MailStore& ms, store::MailboxId mailbox,
                                 const proto::SearchKey& key, const SearchContext& ctx, bool want_modseq) {
  const SelectedMailbox& view = ctx.view;
  // The top-level conjunction's store-answerable keys narrow the candidates; the rest is evaluated on them.
  std::vector<const proto::SearchKey*> top;
  if (key.kind == PKind::and_) {
    for (const auto& c : key.children) top.push_back(&c);
  } else {
    top.push_back(&key);
  }
  std::vector<store::SearchKey> store_part;
  std::vector<const proto::SearchKey*> memory_part;
  for (const auto* k : top) {
    if (auto s = to_store(*k, ctx)) store_part.push_back(std::move(*s));
    else memory_part.push_back(k);
  }
  // Only the messages in the session's view count (ones added since are not known to the client yet).
  store::UidSet in_view = store::UidSet::of(view.uids());
  store_part.push_back(store::SearchKey::uid_set(in_view));
  auto candidates = ms.search(mailbox, store::SearchKey::all_of(std::move(store_part)));
  if (!candidates) return candidates.error();
  SearchOutcome out;
  if (memory_part.empty() && !want_modseq) {
    out.uids = std::move(*candidates);
    return out;
  }
  if (candidates->empty()) return out;
  std::uint32_t parts = 0;
  for (const auto* k : memory_part) parts |= meta_parts_for(*k);
  auto records = ms.fetch_meta(mailbox, store::UidSet::of(*candidates), parts);
  if (!records) return records.error();
  for (const auto& r : *records) {
    Evaluator ev(st, r, ctx);
    bool ok = true;
    for (const auto* k : memory_part) ok = ok && ev.eval(*k);
    if (!ok) continue;
    out.uids.push_back(r.uid);
    out.highest_modseq = std::max(out.highest_modseq, r.modseq);
  }
  std::sort(out.uids.begin(), out.uids.end());
  return out;
}


}  // namespace claret::imap::server
