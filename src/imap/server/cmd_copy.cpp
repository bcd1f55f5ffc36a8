// COPY/UID COPY with COPYUID (RFC 9051 §6.4.7, RFC 4315 §3) and MOVE/UID MOVE (RFC 6851).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/message_set.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

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
    s.expunge_from_view(moved);
    co_await s.report_changes(true);
    s.ok(cmd.tag, uid_mode ? "UID MOVE completed" : "MOVE completed");
    co_return;
  }
  co_await s.report_changes(!(cmd.info->flags & proto::kUsesSeqs));
  s.ok(cmd.tag, uid_mode ? "UID COPY completed" : "COPY completed", code);
}

}  // namespace claret::imap::server
