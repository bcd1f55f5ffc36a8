// EHLO (RFC 5321 §4.1.1.1) with the extensions this session offers: PIPELINING, SIZE, 8BITMIME, SMTPUTF8,
// ENHANCEDSTATUSCODES, CHUNKING, BINARYMIME, DSN, STARTTLS, AUTH (RFC 2920, 1870, 6152, 6531, 2034, 3030, 3461,
// 3207, 4954).
#include "auth/sasl_mechanism.hpp"
#include "smtp/proto/ehlo.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

namespace {

proto::Capabilities capabilities(Session& s) {
  proto::Capabilities caps;
  caps.pipelining = true;
  caps.size = s.config().smtp.max_message_size;
  caps.eight_bit_mime = true;
  caps.smtputf8 = true;
  caps.enhanced_status_codes = true;
  caps.chunking = true;
  caps.binary_mime = true;
  caps.dsn = true;
  caps.starttls = !s.tls() && s.conn().can_start_tls();
  // AUTH only where it is used (submission), not yet done, and where the password may travel.
  if (s.mode() == Mode::submission && !s.auth && !s.tls_required())
    caps.auth_mechanisms = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  return caps;
}

}  // namespace

void greet(Session& s, const proto::HelloArgs& args, bool esmtp) {
  s.reset_transaction();
  s.state = State::ready;
  s.esmtp = esmtp;
  s.helo = args.host.text;
}

boost::asio::awaitable<void> cmd_ehlo(Session& s, proto::HelloArgs args) {
  greet(s, args, true);
  s.reply(proto::ehlo_reply(s.config().hostname, "Hello " + args.host.text, capabilities(s)));
  co_return;
}

boost::asio::awaitable<void> cmd_lhlo(Session& s, proto::HelloArgs args) {
  // RFC 2033 §4.1: LHLO is EHLO for LMTP, with the same extension list.
  greet(s, args, true);
  s.reply(proto::ehlo_reply(s.config().hostname, "Hello " + args.host.text, capabilities(s)));
  co_return;
}

}  // namespace claret::smtp::server
