// EXPN (RFC 5321 §4.1.1.7, §3.5.2, §7.3): mailing lists are never disclosed; answered 502 as most MTAs do.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_expn(Session& s, proto::TextArgs) {
  s.reply(proto::make_reply(proto::code::kNotImplemented, proto::enhanced::kInvalidCommand, "EXPN not available"));
  co_return;
}

}  // namespace claret::smtp::server
