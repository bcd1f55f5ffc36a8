// HELO (RFC 5321 §4.1.1.1): plain SMTP, no extensions may be used in the session afterwards.
#include "smtp/proto/ehlo.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_helo(Session& s, proto::HelloArgs args) {
  greet(s, args, false);
  s.reply(proto::helo_reply(s.config().hostname, "Hello " + args.host.text));
  co_return;
}

}  // namespace claret::smtp::server
