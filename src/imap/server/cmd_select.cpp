// SELECT and EXAMINE (RFC 9051 §6.3.2-3, RECENT RFC 3501 §6.3.1, CONDSTORE RFC 7162 §3.1.8, QRESYNC §3.2.5 with VANISHED (EARLIER)).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/flag_fetch.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/recent.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

struct SelectData {
  store::MailboxInfo info;
  std::shared_ptr<const store::FlagListing> listing;  // the UIDs: shared with the store, never copied here
  std::optional<std::uint32_t> first_unseen_uid;
  std::optional<store::ChangesSince> changes;  // SELECT … (QRESYNC …) with a matching UIDVALIDITY
  store::RecentClaim recent;                   // \Recent for this session (RFC 3501 §2.3.2)
};

// RFC 7162 §3.2.5.2: only UIDs the client said it knows (known-uids, default all) are reported as vanished.
std::vector<std::uint32_t> vanished_known(const std::vector<std::uint32_t>& expunged,
                                          const std::optional<proto::SequenceSet>& known_uids) {
  if (!known_uids) return expunged;
  std::vector<std::uint32_t> out;
  const std::uint32_t largest = expunged.empty() ? 0 : expunged.back();
  for (auto uid : expunged)
    if (known_uids->contains(uid, largest)) out.push_back(uid);
  return out;
}

// SELECT's reads, on the blocking pool.
Result<SelectData> read_select(store::MailStore& ms, const std::string& name,
                               const std::optional<proto::QresyncParams>& qresync, bool read_only, bool want_recent) {
  // The mailbox row, the UID list with [UNSEEN n] and the \Recent mark in one read transaction
  // (MailStore::select_snapshot). For an unchanged big mailbox the listing is the store's shared one
  // (store/sqlite/flag_cache.hpp): one mailbox-row read, not a walk of 100,000 index entries, and its UIDs are
  // not copied (the session's view points into it, SelectedMailbox's shared snapshot).
  auto snap = ms.select_snapshot(name);
  if (!snap) return snap.error();
  SelectData d{std::move(snap->info), std::move(snap->listing), std::nullopt, std::nullopt, {}};
  d.first_unseen_uid = d.listing->first_unseen;
  if (want_recent) {
    auto recent = take_recent(ms, d.info.id, read_only, snap->first_recent_uid, d.info.uidnext);
    if (!recent) return recent.error();
    d.recent = *recent;
  }
  // RFC 7162 §3.2.5: a different UIDVALIDITY means the client's cache is void; it gets a plain SELECT.
  if (qresync && qresync->uidvalidity == d.info.uidvalidity) {
    auto changes = ms.changes_since(d.info.id, qresync->modseq);
    if (!changes) return changes.error();
    d.changes = std::move(*changes);
  }
  return d;
}

// The answer without a trip to the blocking pool, when the store has it in memory (nothing committed since another
// SELECT of this mailbox): the pool's two thread wake-ups cost more than the read itself. Not for QRESYNC (it reads
// the changes) nor when \Recent must be claimed (a write).
std::optional<SelectData> select_from_memory(store::MailStore& ms, const std::string& name, bool qresync,
                                             bool read_only, bool want_recent) {
  if (qresync) return std::nullopt;
  auto snap = ms.select_snapshot_in_memory(name);
  if (!snap) return std::nullopt;
  if (want_recent && recent_to_claim(read_only, snap->first_recent_uid, snap->info.uidnext)) return std::nullopt;
  SelectData d{std::move(snap->info), std::move(snap->listing), std::nullopt, std::nullopt, {}};
  d.first_unseen_uid = d.listing->first_unseen;
  if (want_recent) d.recent = store::RecentClaim{snap->first_recent_uid, d.info.uidnext};
  return d;
}

}  // namespace

Task cmd_select(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::SelectArgs>(cmd.args);
  const bool read_only = cmd.info->id == proto::CommandId::examine;
  if (args.qresync && !s.qresync) {  // RFC 7162 §3.2.5: only after ENABLE QRESYNC
    s.bad(cmd.tag, "QRESYNC is not enabled");
    co_return;
  }
  // RFC 9051 §6.3.2: a SELECT deselects the current mailbox first, even when the new one cannot be selected.
  const bool had_selected = s.selected != nullptr;
  s.unselect();
  if (had_selected) s.send(proto::untagged_status(proto::Condition::ok, proto::response_code(proto::code::kClosed),
                                                  "Previous mailbox closed"));
  if (args.condstore) s.condstore = true;
  store::MailStore* ms = s.mail.get();
  const std::string name = args.mailbox;
  const std::optional<proto::QresyncParams> qresync = args.qresync;
  const bool want_recent = !s.imap4rev2;
  // Before any read: the view is current as of at least this stamp (Session::listed_at).
  const auto stamp = ms->commit_stamp();
  std::optional<Result<SelectData>> data;
  if (auto memo = select_from_memory(*ms, name, qresync.has_value(), read_only, want_recent)) {
    data.emplace(std::move(*memo));
  } else {
    auto read = co_await io::offload([ms, &name, &qresync, read_only, want_recent] {
      return read_select(*ms, name, qresync, read_only, want_recent);
    });
    data.emplace(std::move(read));
  }
  if (!*data) {
    reply_store_error(s, cmd.tag, data->error());
    co_return;
  }
  SelectData& got = **data;
  // Aliasing shared_ptr: owns the listing, points at its UID array (ascending by the store's contract).
  const std::vector<std::uint32_t>& listed_uids = got.listing->uids;
  auto view = std::make_unique<SelectedMailbox>(got.info, read_only, UidSnapshot(got.listing, &listed_uids));
  got.listing.reset();  // the view holds it now
  view->add_recent(got.recent);
  const auto flags = system_flag_names();
  s.send(proto::flags_response(flags));
  s.send(proto::exists_response(view->count()));
  if (!s.imap4rev2) s.send(proto::recent_response(view->recent_count()));  // RFC 9051 dropped RECENT
  if (got.first_unseen_uid) {
    if (auto seq = view->seq_of(*got.first_unseen_uid))
      s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUnseen, *seq),
                                    "First unseen"));
  }
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidValidity,
                                                                         got.info.uidvalidity), "UIDs valid"));
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidNext, got.info.uidnext),
                                "Predicted next UID"));
  std::vector<std::string> permanent = read_only ? std::vector<std::string>{} : flags;
  if (!read_only) permanent.push_back("\\*");
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_permanent_flags(permanent), "Limited"));
  s.send(proto::untagged_status(proto::Condition::ok,
                                proto::code_number(proto::code::kHighestModseq, got.info.highestmodseq),
                                "Highest"));
  // OBJECTID (RFC 8474 §4.2).
  s.send(proto::untagged_status(proto::Condition::ok,
                                "[MAILBOXID (F" + std::to_string(got.info.id) + ")]", "Mailbox id"));
  if (got.changes) {
    // VANISHED (EARLIER) first, then the flags of messages changed since the client's MODSEQ (§3.2.5.1).
    auto vanished = vanished_known(got.changes->expunged, args.qresync->known_uids);
    if (!vanished.empty()) s.send(proto::vanished_response(proto::format_number_set(vanished), true));
    proto::FetchItem flags_item;
    flags_item.kind = proto::FetchItem::Kind::flags;
    const std::vector<proto::FetchItem> items(1, flags_item);
    std::string buf;
    for (const auto& r : got.changes->changed) {
      auto seq = view->seq_of(r.uid);
      if (!seq) continue;
      append_flag_fetch(buf, *seq, r, items, true, true, !s.imap4rev2 && view->is_recent(r.uid));
    }
    s.send(buf);
  }
  s.select(std::move(view));
  s.listed_at = stamp;
  s.ok(cmd.tag, read_only ? "EXAMINE completed" : "SELECT completed",
       proto::response_code(read_only ? proto::code::kReadOnly : proto::code::kReadWrite));
}

}  // namespace claret::imap::server
