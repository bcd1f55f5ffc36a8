// SEARCH and UID SEARCH (RFC 9051 §6.4.4, RFC 3501 §6.4.4, MODSEQ RFC 7162 §3.1.5), answered as SEARCH or, with
// RETURN or under IMAP4rev2, as ESEARCH (RFC 4731); RETURN (SAVE) keeps the result for "$" (SEARCHRES, RFC 5182).
// The matching itself is search_engine.cpp.
#include <algorithm>

#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/search_engine.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

// RFC 5182 §2.1: SAVE with MIN and/or MAX (and neither ALL nor COUNT) saves only those; otherwise all matches.
std::vector<std::uint32_t> result_to_save(const proto::SearchReturn& ret, const std::vector<std::uint32_t>& uids) {
  if (uids.empty() || ret.all || ret.count || (!ret.min && !ret.max)) return uids;
  std::vector<std::uint32_t> out;
  if (ret.min) out.push_back(uids.front());
  if (ret.max && (!ret.min || uids.back() != uids.front())) out.push_back(uids.back());
  return out;
}

}  // namespace

Task cmd_search(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::SearchArgs>(cmd.args);
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_search;
  const bool want_modseq = uses_modseq(args.key);
  if (want_modseq) s.condstore = true;
  // UID SEARCH catches up with new mail first (EXISTS before the answer, as NOOP would), so the answer covers
  // it and the client (the webmail) needs no NOOP. SEARCH by numbers keeps its "*" where the client saw it. As
  // NOOP, the UID list is re-read (other processes' deliveries are not on the change bus).
  s.force_refresh = uid_mode;
  if (uid_mode) co_await s.report_changes(true);
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = s.selected->id();
  const SearchContext ctx{*s.selected, s.saved_result};
  const proto::SearchKey* key = &args.key;
  auto found = co_await io::offload(
      [&st, ms, mailbox, key, &ctx, want_modseq] { return run_search(st, *ms, mailbox, *key, ctx, want_modseq); });
  if (!found) {
    if (args.ret.save) s.saved_result.clear();  // RFC 5182 §2.1: a failed SAVE leaves an empty result
    ErrorReply r = map_store_error(found.error(), s.cid(), "imap.search.error");
    s.no(cmd.tag, r.text, r.code);
    co_return;
  }
  if (args.ret.save) s.saved_result = result_to_save(args.ret, found->uids);
  std::vector<std::uint32_t> numbers;
  if (uid_mode) {
    numbers = found->uids;
  } else {
    for (auto uid : found->uids)
      if (auto seq = s.selected->seq_of(uid)) numbers.push_back(*seq);
  }
  std::optional<std::uint64_t> modseq;
  if (want_modseq && !numbers.empty()) modseq = found->highest_modseq;
  const bool only_save = args.ret.save && !args.ret.min && !args.ret.max && !args.ret.all && !args.ret.count;
  if (only_save) {
    // RFC 5182 §2.1: RETURN (SAVE) alone sends no ESEARCH response.
  } else if (args.ret.esearch || s.imap4rev2) {
    proto::EsearchResult r;
    const bool none = !args.ret.min && !args.ret.max && !args.ret.all && !args.ret.count;
    if (!numbers.empty()) {
      if (args.ret.min) r.min = numbers.front();
      if (args.ret.max) r.max = numbers.back();
      if (args.ret.all || none) r.all = proto::format_number_set(numbers);
    }
    if (args.ret.count) r.count = static_cast<std::uint32_t>(numbers.size());
    r.modseq = modseq;
    s.send(proto::esearch_response(cmd.tag, uid_mode, r));
  } else {
    s.send(proto::search_response(numbers, modseq));
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID SEARCH completed" : "SEARCH completed");
}

}  // namespace claret::imap::server
