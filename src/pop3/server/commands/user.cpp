// USER (RFC 1939 §7): names the account for the following PASS; refused without TLS unless the administrator
// allows plaintext passwords on loopback (RFC 2595 §4, DESIGN.md §5).
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_user(Session& s, proto::NameArg args) {
  if (!s.passwords_allowed()) {
    s.pending_user.reset();
    s.reply(proto::err("Plaintext authentication disallowed without TLS (use STLS)"));
    co_return;
  }
  s.pending_user = std::move(args.name);
  s.reply(proto::ok("Send PASS"));
}

}  // namespace claret::pop3::server
