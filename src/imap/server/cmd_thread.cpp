// THREAD and UID THREAD (RFC 5256 §3): ORDEREDSUBJECT and REFERENCES over the messages the search program
// matches (search_engine.cpp), reading only their threading columns (fetch_sort_fields); the threading itself is
// thread_builder.cpp. New mail is caught up first (EXISTS before the answer, as NOOP would).
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/search_engine.hpp"
#include "imap/server/thread_builder.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

struct ThreadData {
  std::vector<ThreadInput> messages;  // by UID, ascending
};

// Blocking (offloaded).
Result<ThreadData> load_blocking(store::Store& st, store::MailStore& ms, store::MailboxId mailbox,
                                 const proto::SearchKey& key, const SearchContext& ctx) {
  auto found = run_search(st, ms, mailbox, key, ctx, false);
  if (!found) return found.error();
  ThreadData out;
  if (found->uids.empty()) return out;
  auto records = ms.fetch_sort_fields(mailbox, store::UidSet::of(found->uids));
  if (!records) return records.error();
  out.messages.reserve(records->size());
  for (const auto& r : *records) {
    ThreadInput in;
    in.id = r.uid;
    in.message_id = r.meta.message_id;
    in.in_reply_to = r.meta.in_reply_to;
    in.references = r.meta.references;
    in.base_subject = r.meta.subject;
    in.sent_date = r.meta.sent_date != 0 ? r.meta.sent_date : r.internaldate;
    out.messages.push_back(std::move(in));
  }
  return out;
}

void renumber(std::vector<proto::ThreadNode>& nodes, const SelectedMailbox& view) {
  for (auto& n : nodes) {
    if (n.id != 0) n.id = view.seq_of(n.id).value_or(0);
    renumber(n.children, view);
  }
}

}  // namespace

Task cmd_thread(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::ThreadArgs>(cmd.args);
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_thread;
  // Catch up with new mail first, so the answer covers it and the client needs no NOOP (RFC 9051 §7.5.1 allows
  // EXISTS here; EXPUNGE only for the UID form). As NOOP, the UID list is re-read: other processes' deliveries
  // (claret deliver) are not on the change bus, and the bus may not have told us of a commit that just returned.
  s.force_refresh = true;
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  store::Store& st = s.services().store;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = s.selected->id();
  const SearchContext ctx{*s.selected, s.saved_result};
  const proto::SearchKey* key = &args.key;
  auto data = co_await io::offload([&st, ms, mailbox, key, &ctx] { return load_blocking(st, *ms, mailbox, *key, ctx); });
  if (!data) {
    ErrorReply r = map_store_error(data.error(), s.cid(), "imap.thread.error");
    s.no(cmd.tag, r.text, r.code);
    co_return;
  }
  auto threads = args.algorithm == proto::ThreadArgs::Algorithm::references
                     ? thread_references(data->messages)
                     : thread_ordered_subject(std::move(data->messages));
  // Threads are built on UIDs (message order either way) and shown as sequence numbers for THREAD.
  if (!uid_mode) renumber(threads, *s.selected);
  s.send(proto::thread_response(threads));
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID THREAD completed" : "THREAD completed");
}

}  // namespace claret::imap::server
