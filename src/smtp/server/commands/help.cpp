// HELP (RFC 5321 §4.1.1.8): the commands this mode understands, in a 214 reply.
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"

namespace claret::smtp::server {

boost::asio::awaitable<void> cmd_help(Session& s, proto::TextArgs) {
  proto::Reply r;
  r.code = proto::code::kHelp;
  r.enhanced = std::string(proto::enhanced::kOk);
  r.lines.push_back(s.mode() == Mode::lmtp ? "Commands: LHLO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP"
                                           : "Commands: EHLO HELO MAIL RCPT DATA BDAT RSET NOOP QUIT VRFY HELP "
                                             "STARTTLS AUTH");
  r.lines.push_back("See RFC 5321; send mail to postmaster for help with this server");
  s.reply(r);
  co_return;
}

}  // namespace claret::smtp::server
