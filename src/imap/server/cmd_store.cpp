// STORE and UID STORE (RFC 9051 §6.4.6, UNCHANGEDSINCE/MODIFIED RFC 7162 §3.1.3).
#include <algorithm>

#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/flag_write.hpp"
#include "imap/server/flags.hpp"
#include "imap/server/message_set.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

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
      return set_flags_unless_noop(*ms, mailbox, set, op, flags, unchanged);
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
    if (uid_mode || s.qresync) data += "UID " + std::to_string(u.uid) + " ";
    data += "FLAGS " + flags_to_wire(u.flags, !s.imap4rev2 && s.selected->is_recent(u.uid));
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

}  // namespace claret::imap::server
