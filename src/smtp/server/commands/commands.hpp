// The command handlers, one per file in commands/ (RFC 5321 §4.1.1, RFC 2033, RFC 3030, RFC 3207, RFC 4954).
// Each runs only after the command table let it through; it queues its replies on the session.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "smtp/proto/command.hpp"
#include "smtp/server/session.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_ehlo(Session& s, proto::HelloArgs args);
boost::asio::awaitable<void> cmd_helo(Session& s, proto::HelloArgs args);
boost::asio::awaitable<void> cmd_lhlo(Session& s, proto::HelloArgs args);
boost::asio::awaitable<void> cmd_mail(Session& s, proto::MailArgs args);
boost::asio::awaitable<void> cmd_rcpt(Session& s, proto::RcptArgs args);
boost::asio::awaitable<void> cmd_data(Session& s);
boost::asio::awaitable<void> cmd_bdat(Session& s, proto::BdatArgs args);
boost::asio::awaitable<void> cmd_rset(Session& s);
boost::asio::awaitable<void> cmd_noop(Session& s);
boost::asio::awaitable<void> cmd_quit(Session& s);
boost::asio::awaitable<void> cmd_vrfy(Session& s, proto::TextArgs args);
boost::asio::awaitable<void> cmd_expn(Session& s, proto::TextArgs args);
boost::asio::awaitable<void> cmd_help(Session& s, proto::TextArgs args);
boost::asio::awaitable<void> cmd_starttls(Session& s);
boost::asio::awaitable<void> cmd_auth(Session& s, proto::AuthArgs args);

// Reads and throws away the payload of a BDAT command that is refused, as RFC 3030 §2 requires; false when
// the connection failed (the session is then closing).
boost::asio::awaitable<bool> discard_bdat_payload(Session& s, std::uint64_t size);

// The shared hello logic: resets the session and transaction, records the client's name.
void greet(Session& s, const proto::HelloArgs& args, bool esmtp);

}  // namespace claret::smtp::server
