// CAPA (RFC 2449 §5): the capability list for the session's state, TLS status and password policy.
#include "auth/sasl_mechanism.hpp"
#include "pop3/proto/capabilities.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"

namespace claret::pop3::server {

boost::asio::awaitable<void> cmd_capa(Session& s) {
  proto::CapaOptions o;
  o.authorization = s.state == State::authorization;
  o.stls = !s.tls() && s.conn().can_start_tls();
  o.user = s.passwords_allowed();
  o.sasl = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  o.implementation = "claret";
  s.reply(proto::multiline("Capability list follows", proto::capability_lines(o)));
  co_return;
}

}  // namespace claret::pop3::server
