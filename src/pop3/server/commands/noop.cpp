// NOOP (RFC 1939 §5).
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_noop(Session& s) {
  s.reply(proto::ok(""));
  co_return;
}

}  // namespace claret::pop3::server
