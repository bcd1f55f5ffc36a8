// DELE (RFC 1939 §5): marks the message deleted; it is removed only in the UPDATE state after QUIT.
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_dele(Session& s, proto::MsgArg args) {
  if (message_or_reply(s, args.msg) == nullptr) co_return;
  s.maildrop.mark_deleted(args.msg);
  s.reply(proto::ok("Message " + std::to_string(args.msg) + " deleted"));
  co_return;
}

}  // namespace claret::pop3::server
