// NOOP (RFC 5321 §4.1.1.9): no effect on state; the argument is ignored.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_noop(Session& s) {
  s.reply(proto::make_reply(proto::code::kOk, proto::enhanced::kOk, "OK"));
  co_return;
}

}  // namespace claret::smtp::server
