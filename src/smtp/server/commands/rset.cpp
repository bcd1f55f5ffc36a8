// RSET (RFC 5321 §4.1.1.5): abort the transaction, keep the EHLO state.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_rset(Session& s) {
  s.reset_transaction();
  s.reply(proto::make_reply(proto::code::kOk, proto::enhanced::kOk, "OK"));
  co_return;
}

}  // namespace claret::smtp::server
