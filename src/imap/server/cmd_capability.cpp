// CAPABILITY (RFC 9051 §6.1.1).
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_capability(Session& s, const proto::Command& cmd) {
  s.send(proto::capability_response(s.capabilities()));
  s.ok(cmd.tag, "CAPABILITY completed");
  co_return;
}

}  // namespace claret::imap::server
