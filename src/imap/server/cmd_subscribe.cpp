// SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7-8).
#include "imap/server/commands.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Task cmd_subscribe(Session& s, const proto::Command& cmd) {
  const std::string name = std::get<proto::MailboxArgs>(cmd.args).mailbox;
  const bool on = cmd.info->id == proto::CommandId::subscribe;
  store::MailStore* ms = s.mail.get();
  auto st = co_await io::offload([ms, &name, on] { return ms->set_subscribed(name, on); });
  if (!st) {
    reply_store_error(s, cmd.tag, st.error());
    co_return;
  }
  s.ok(cmd.tag, on ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
}

}  // namespace claret::imap::server
