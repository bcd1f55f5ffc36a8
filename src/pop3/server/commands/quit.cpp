// QUIT (RFC 1939 §6): from AUTHORIZATION just says goodbye; from TRANSACTION enters UPDATE, where the messages
// marked deleted are removed in one store transaction (and retrieved ones flagged \Seen), then the session ends.
#include "base/log.hpp"
#include "io/offload.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_quit(Session& s) {
  s.closing = true;
  s.close_reason = "quit";
  if (s.state != State::transaction) {
    s.reply(proto::ok("claret POP3 server signing off"));
    co_return;
  }
  s.state = State::update;
  store::MailStore& mail = *s.mail;
  const Maildrop& drop = s.maildrop;
  auto outcome = co_await io::offload([&mail, &drop] { return apply_update(mail, drop); });
  if (!outcome) {
    // RFC 1939 §6: "-ERR some deleted messages not removed".
    log::warn("pop3.update.failed", {{"cid", s.cid()}, {"user", s.user}, {"error", outcome.error().message}});
    s.reply(proto::err("Some deleted messages not removed", proto::RespCode::sys_temp));
    co_return;
  }
  log::info("pop3.update.done",
            {{"cid", s.cid()}, {"user", s.user}, {"expunged", outcome->expunged}, {"remaining", outcome->remaining}});
  s.reply(proto::ok("claret POP3 server signing off (" + std::to_string(outcome->remaining) + " messages left)"));
}

}  // namespace claret::pop3::server
