// UIDL (RFC 1939 §7): "msg unique-id", the id being "<uidvalidity>.<uid>" of the INBOX message (maildrop.hpp).
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_uidl(Session& s, proto::OptionalMsgArg args) {
  if (args.msg) {
    if (const MaildropMessage* m = message_or_reply(s, *args.msg))
      s.reply(proto::ok(std::to_string(*args.msg) + " " + s.maildrop.unique_id(*m)));
    co_return;
  }
  std::vector<std::string> lines;
  lines.reserve(s.maildrop.count());
  for (std::uint64_t n = 1; n <= s.maildrop.count(); ++n) {
    const MaildropMessage* m = s.maildrop.find(n);
    if (!m->deleted) lines.push_back(std::to_string(n) + " " + s.maildrop.unique_id(*m));
  }
  s.reply(proto::multiline("Unique-ID listing follows", lines));
  co_return;
}

}  // namespace claret::pop3::server
