// QUIT (RFC 5321 §4.1.1.10): 221, then the server closes the connection.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_quit(Session& s) {
  s.reply(proto::make_reply(proto::code::kServiceClosing, proto::enhanced::kClosing,
                            s.config().hostname + " closing connection"));
  s.closing = true;
  s.close_reason = "quit";
  co_return;
}

}  // namespace claret::smtp::server
