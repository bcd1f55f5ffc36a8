// LIST (RFC 1939 §5): "msg octets" for one message, or a multi-line scan listing of every message not deleted.
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_list(Session& s, proto::OptionalMsgArg args) {
  if (args.msg) {
    if (const MaildropMessage* m = message_or_reply(s, *args.msg))
      s.reply(proto::ok(std::to_string(*args.msg) + " " + std::to_string(m->size)));
    co_return;
  }
  std::vector<std::string> lines;
  lines.reserve(s.maildrop.count());
  for (std::uint64_t n = 1; n <= s.maildrop.count(); ++n) {
    const MaildropMessage* m = s.maildrop.find(n);
    if (!m->deleted) lines.push_back(std::to_string(n) + " " + std::to_string(m->size));
  }
  s.reply(proto::multiline(std::to_string(s.maildrop.live_count()) + " messages (" +
                               std::to_string(s.maildrop.live_size()) + " octets)",
                           lines));
  co_return;
}

}  // namespace claret::pop3::server
