// VRFY (RFC 5321 §4.1.1.6, §3.5.3): answered 252 for every argument, so the command cannot be used to probe
// which accounts exist.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_vrfy(Session& s, proto::TextArgs) {
  s.reply(proto::make_reply(proto::code::kCannotVerify, proto::enhanced::kOk,
                            "Cannot VRFY user, but will accept message and attempt delivery"));
  co_return;
}

}  // namespace claret::smtp::server
