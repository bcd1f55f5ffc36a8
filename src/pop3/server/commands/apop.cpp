// APOP (RFC 1939 §7) is refused: its MD5 digest needs the password in clear on the server, and claret stores only
// salted hashes (auth/password_hash.hpp). The greeting therefore carries no timestamp, which is how RFC 1939 §7 lets a
// client know APOP is not offered.
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_apop(Session& s, proto::ApopArgs) {
  s.reply(proto::err("APOP not supported, use USER/PASS or AUTH over TLS"));
  co_return;
}

}  // namespace claret::pop3::server
