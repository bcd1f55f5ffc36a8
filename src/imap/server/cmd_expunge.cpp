// EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE (RFC 4315 §2.1).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/message_set.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

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
  s.expunge_from_view(result->uids);
  co_await s.report_changes(true);
  s.ok(cmd.tag, uid_mode ? "UID EXPUNGE completed" : "EXPUNGE completed");
}

}  // namespace claret::imap::server
