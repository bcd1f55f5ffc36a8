// STARTTLS (RFC 9051 §6.2.1, §11.1).
#include "base/log.hpp"
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_starttls(Session& s, const proto::Command& cmd) {
  if (!s.conn().can_start_tls()) {
    s.bad(cmd.tag, s.tls() ? "TLS already active" : "STARTTLS not available");
    co_return;
  }
  s.ok(cmd.tag, "Begin TLS negotiation now");
  auto started = co_await s.conn().start_tls();
  if (!started) {
    s.closing = true;
    s.close_reason = "tls";
    co_return;
  }
  // RFC 9051 §11.1: nothing received in plaintext after STARTTLS may be taken as a command.
  s.receiver().reset();
  if (started->discarded_bytes > 0)
    log::info("imap.starttls.discarded", {{"cid", s.cid()}, {"bytes", started->discarded_bytes}});
}

}  // namespace claret::imap::server
