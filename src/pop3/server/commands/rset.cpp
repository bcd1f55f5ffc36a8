// RSET (RFC 1939 §5): unmarks every message marked deleted in this session.
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_rset(Session& s) {
  s.maildrop.reset();
  s.reply(proto::ok("Maildrop has " + std::to_string(s.maildrop.live_count()) + " messages (" +
                    std::to_string(s.maildrop.live_size()) + " octets)"));
  co_return;
}

}  // namespace claret::pop3::server
