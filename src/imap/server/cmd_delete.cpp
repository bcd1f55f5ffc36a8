// DELETE (RFC 9051 §6.3.5).
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_delete(Session& s, const proto::Command& cmd) {
  const std::string name = std::get<proto::MailboxArgs>(cmd.args).mailbox;
  if (name == "INBOX") {
    s.no(cmd.tag, "INBOX cannot be deleted", proto::response_code(proto::code::kCannot));
    co_return;
  }
  if (s.selected && s.selected->info().name == name) s.unselect();
  store::MailStore* ms = s.mail.get();
  auto deleted = co_await io::offload([ms, &name] { return ms->delete_mailbox(name); });
  if (!deleted) {
    reply_store_error(s, cmd.tag, deleted.error());
    co_return;
  }
  s.ok(cmd.tag, "DELETE completed");
}

}  // namespace claret::imap::server
