// STLS (RFC 2595 §4): "+OK", handshake, then the session forgets what the client said before TLS (a pending USER)
// and the plaintext pipelined after the command is discarded unread by io::Connection (no command injection).
#include "base/log.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_stls(Session& s) {
  if (s.tls()) {
    s.reply(proto::err("TLS already active"));
    co_return;
  }
  if (!s.conn().can_start_tls()) {
    s.reply(proto::err("TLS not available", proto::RespCode::sys_perm));
    co_return;
  }
  s.reply(proto::ok("Begin TLS negotiation"));
  auto started = co_await s.conn().start_tls();  // flushes the +OK first
  if (!started) {
    log::info("pop3.stls.failed", {{"cid", s.cid()}, {"error", started.error().message}});
    s.closing = true;
    s.close_reason = "tls";
    co_return;
  }
  if (started->discarded_bytes > 0)
    log::warn("pop3.stls.discarded", {{"cid", s.cid()}, {"bytes", started->discarded_bytes}});
  log::info("pop3.stls.done", {{"cid", s.cid()}, {"version", s.conn().tls_version()}, {"cipher", s.conn().tls_cipher()}});
  s.pending_user.reset();
}

}  // namespace claret::pop3::server
