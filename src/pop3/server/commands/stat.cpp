// STAT (RFC 1939 §5): "+OK count octets" over the messages not marked deleted.
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_stat(Session& s) {
  s.reply(proto::ok(std::to_string(s.maildrop.live_count()) + " " + std::to_string(s.maildrop.live_size())));
  co_return;
}

}  // namespace claret::pop3::server
