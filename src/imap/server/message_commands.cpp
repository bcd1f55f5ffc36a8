// STORE and UID STORE (RFC 9051 §6.4.6, UNCHANGEDSINCE/MODIFIED RFC 7162 §3.1.3), EXPUNGE (§6.4.3), UID EXPUNGE
// (RFC 4315 §2.1), COPY/UID COPY with COPYUID (§6.4.7, RFC 4315 §3) and MOVE/UID MOVE (RFC 6851).
#include <algorithm>

#include "base/log.hpp"
#include "imap/proto/mailbox_name.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/message_set.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

void reply_store_error(Session& s, std::string_view tag, const Error& e) {
  ErrorReply r = map_store_error(e, s.cid(), "imap.store.error");
  s.no(tag, r.text, r.code);
}

}  // namespace

Task cmd_store(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::StoreArgs>(cmd.args);
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_store;
  if (s.selected->read_only()) {
    s.no(cmd.tag, "Mailbox is read-only", proto::response_code(proto::code::kReadOnly));
    co_return;
  }
  auto uids = resolve_message_set(s, cmd.tag, args.set, uid_mode);
  if (!uids) co_return;
  if (args.unchanged_since) s.condstore = true;
  store::FlagOp op = args.op == proto::StoreArgs::Op::add      ? store::FlagOp::add
                     : args.op == proto::StoreArgs::Op::remove ? store::FlagOp::remove
                                                               : store::FlagOp::replace;
  const store::Flags flags = flags_from_list(args.flags);
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = s.selected->id();
  const auto unchanged = args.unchanged_since;
  const store::UidSet set = *uids;
  Result<store::SetFlagsResult> result = store::SetFlagsResult{};
  if (!set.empty())
    result = co_await io::offload([ms, mailbox, &set, op, &flags, unchanged] {
      return ms->set_flags(mailbox, set, op, flags, unchanged);
    });
  if (!result) {
    reply_store_error(s, cmd.tag, result.error());
    co_return;
  }
  for (const auto& u : result->updated) {
    if (u.changed) s.feed().ignore_own(u.modseq);
    auto seq = s.selected->seq_of(u.uid);
    if (!seq) continue;
    // .SILENT suppresses the FETCH, except that under CONDSTORE the new MODSEQ is still reported (RFC 7162 §3.1.3).
    if (args.silent && !(unchanged && u.changed)) continue;
    std::string data = std::to_string(*seq) + " FETCH (";
    if (uid_mode) data += "UID " + std::to_string(u.uid) + " ";
    data += "FLAGS " + flags_to_wire(u.flags);
    if (s.condstore) data += " MODSEQ (" + std::to_string(u.modseq) + ")";
    data += ")";
    s.send(proto::untagged(data));
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  if (!result->failed.empty()) {
    std::vector<std::uint32_t> failed;
    if (uid_mode) {
      failed = result->failed;
    } else {
      for (auto uid : result->failed)
        if (auto seq = s.selected->seq_of(uid)) failed.push_back(*seq);
      std::sort(failed.begin(), failed.end());
    }
    s.ok(cmd.tag, "Conditional STORE failed for some messages",
         proto::code_modified(proto::format_number_set(failed)));
    co_return;
  }
  s.ok(cmd.tag, uid_mode ? "UID STORE completed" : "STORE completed");
}

Task cmd_expunge(Session& s, const proto::Command& cmd) {
  const bool uid_mode = cmd.info->id == proto::CommandId::uid_expunge;
  if (s.selected->read_only()) {
    s.no(cmd.tag, "Mailbox is read-only", proto::response_code(proto::code::kReadOnly));
    co_return;
  }
  std::optional<store::UidSet> limit;
  if (uid_mode) {
    limit = resolve_message_set(s, cmd.tag, std::get<proto::UidExpungeArgs>(cmd.args).uids, true);
    if (!limit) co_return;
  }
  store::MailStore* ms = s.mail.get();
  const store::MailboxId mailbox = s.selected->id();
  auto result = co_await io::offload([ms, mailbox, &limit]() -> Result<store::ExpungeResult> {
    auto deleted = ms->search(mailbox, store::SearchKey::with_flags(store::flag::kDeleted));
    if (!deleted) return deleted.error();
    std::vector<std::uint32_t> chosen;
    for (auto uid : *deleted)
      if (!limit || limit->contains(uid)) chosen.push_back(uid);
    if (chosen.empty()) return store::ExpungeResult{};
    return ms->expunge(mailbox, store::UidSet::of(chosen));
  });
  if (!result) {
    reply_store_error(s, cmd.tag, result.error());
    co_return;
  }
  for (auto seq : s.selected->remove(result->uids)) s.send(proto::expunge_response(seq));
  co_await s.report_changes(true);
  s.ok(cmd.tag, uid_mode ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

Task cmd_copy(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::CopyArgs>(cmd.args);
  const auto id = cmd.info->id;
  const bool uid_mode = id == proto::CommandId::uid_copy || id == proto::CommandId::uid_move;
  const bool move = id == proto::CommandId::move || id == proto::CommandId::uid_move;
  if (move && s.selected->read_only()) {
    s.no(cmd.tag, "Mailbox is read-only", proto::response_code(proto::code::kReadOnly));
    co_return;
  }
  auto uids = resolve_message_set(s, cmd.tag, args.set, uid_mode);
  if (!uids) co_return;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId from = s.selected->id();
  const std::string target = args.mailbox;
  const store::UidSet set = *uids;
  auto result = co_await io::offload([ms, from, &target, &set, move]() -> Result<store::CopyResult> {
    auto dest = ms->get_mailbox(target);
    if (!dest) return dest.error();
    if (set.empty()) return store::CopyResult{dest->uidvalidity, {}, {}};
    return move ? ms->move(from, set, dest->id) : ms->copy(from, set, dest->id);
  });
  if (result && s.selected && s.selected->info().name == target) s.force_refresh = true;
  if (!result) {
    if (store::has_code(result.error(), store::Errc::not_found)) {
      // RFC 9051 §6.4.7: a missing destination is answered with TRYCREATE.
      s.no(cmd.tag, "No such mailbox", proto::response_code(proto::code::kTryCreate));
      co_return;
    }
    reply_store_error(s, cmd.tag, result.error());
    co_return;
  }
  std::string code;
  if (!result->uid_map.empty()) {
    std::vector<std::uint32_t> src, dst;
    for (const auto& [a, b] : result->uid_map) {
      src.push_back(a);
      dst.push_back(b);
    }
    // The destination UIDs are listed in the order of the source ones (RFC 4315 §3), which ascend together.
    code = proto::code_copy_uid(result->dest_uidvalidity, proto::format_number_set(src),
                                proto::format_number_set(dst));
  }
  if (move) {
    // RFC 6851 §4.3: COPYUID comes in an untagged OK before the EXPUNGE responses.
    if (!code.empty()) s.send(proto::untagged_status(proto::Condition::ok, code, "Moved UIDs"));
    std::vector<std::uint32_t> moved;
    for (const auto& [a, b] : result->uid_map) moved.push_back(a);
    for (auto seq : s.selected->remove(moved)) s.send(proto::expunge_response(seq));
    co_await s.report_changes(true);
    s.ok(cmd.tag, uid_mode ? "UID MOVE completed" : "MOVE completed");
    co_return;
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID COPY completed" : "COPY completed", code);
}

}  // namespace claret::imap::server
