// CLOSE (RFC 9051 §6.4.1) and UNSELECT (RFC 3691).
#include "base/log.hpp"
#include "imap/server/commands.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_close(Session& s, const proto::Command& cmd) {
  const bool close = cmd.info->id == proto::CommandId::close;
  if (close && !s.selected->read_only()) {
    // RFC 9051 §6.4.1: CLOSE expunges silently (no EXPUNGE responses).
    store::MailStore* ms = s.mail.get();
    store::MailboxId id = s.selected->id();
    auto done = co_await io::offload([ms, id]() -> Result<store::ExpungeResult> {
      auto del = ms->search(id, store::SearchKey::with_flags(store::flag::kDeleted));
      if (!del) return del.error();
      if (del->empty()) return store::ExpungeResult{};
      return ms->expunge(id, store::UidSet::of(*del));
    });
    if (!done) log::warn("imap.close.expunge_failed", {{"cid", s.cid()}, {"error", done.error().message}});
  }
  s.unselect();
  s.ok(cmd.tag, close ? "CLOSE completed" : "UNSELECT completed");
}

}  // namespace claret::imap::server
