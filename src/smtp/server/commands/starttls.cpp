// STARTTLS (RFC 3207 §4): 220, handshake, then every piece of state from before TLS is forgotten (§4.2) and the
// plaintext the client pipelined after the command is discarded unread (no command injection).
#include "base/log.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

boost::asio::awaitable<void> cmd_starttls(Session& s) {
  if (s.tls()) {
    s.reply(proto::make_reply(code::kBadSequence, enh::kInvalidCommand, "TLS already active"));
    co_return;
  }
  if (!s.conn().can_start_tls()) {
    s.reply(proto::make_reply(code::kTempAuthFailure, enh::kTempAuthFailure, "TLS not available"));
    co_return;
  }
  s.reply(proto::make_reply(code::kServiceReady, enh::kOk, "Ready to start TLS"));
  auto started = co_await s.conn().start_tls();  // flushes the 220 first
  if (!started) {
    log::info("smtp.starttls.failed", {{"cid", s.cid()}, {"error", started.error().message}});
    s.closing = true;
    s.close_reason = "tls";
    co_return;
  }
  if (started->discarded_bytes > 0)
    log::warn("smtp.starttls.discarded", {{"cid", s.cid()}, {"bytes", started->discarded_bytes}});
  log::info("smtp.starttls.done", {{"cid", s.cid()}, {"version", s.conn().tls_version()},
                                   {"cipher", s.conn().tls_cipher()}});
  // RFC 3207 §4.2: discard all knowledge obtained from the client before TLS, the EHLO included.
  s.reset_transaction();
  s.state = State::fresh;
  s.esmtp = false;
  s.helo.clear();
  s.auth.reset();
}

}  // namespace claret::smtp::server
