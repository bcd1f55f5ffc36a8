// TOP (RFC 1939 §7): the header, the blank line and the first n body lines; reading stops once they are sent.
// TOP does not count as reading the message (no \Seen), as in Dovecot.
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_top(Session& s, proto::TopArgs args) {
  const MaildropMessage* m = message_or_reply(s, args.msg);
  if (m == nullptr) co_return;
  co_await send_message(s, args.msg, *m, args.lines);
}

}  // namespace claret::pop3::server
