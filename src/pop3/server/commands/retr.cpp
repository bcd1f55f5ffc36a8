// RETR (RFC 1939 §5): the whole message, streamed; the message is flagged \Seen if the session ends with QUIT.
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_retr(Session& s, proto::MsgArg args) {
  const MaildropMessage* m = message_or_reply(s, args.msg);
  if (m == nullptr) co_return;
  const std::uint64_t before = s.retrieved;
  co_await send_message(s, args.msg, *m, std::nullopt);
  if (s.retrieved != before) s.maildrop.mark_retrieved(args.msg);
}

}  // namespace claret::pop3::server
