// LOGOUT (RFC 9051 §6.1.3).
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_logout(Session& s, const proto::Command& cmd) {
  s.send(proto::untagged_status(proto::Condition::bye, "", "Logging out"));
  s.ok(cmd.tag, "LOGOUT completed");
  s.state = State::logout;
  s.closing = true;
  s.close_reason = "logout";
  co_return;
}

}  // namespace claret::imap::server
