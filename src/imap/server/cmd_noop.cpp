// NOOP (RFC 9051 §6.1.2): also how clients poll for changes.
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_noop(Session& s, const proto::Command& cmd) {
  // NOOP is how clients poll: re-read the UID list too, which also catches messages added or expunged by other
  // processes (claret deliver, the admin CLI) that the in-process ChangeBus does not see.
  s.force_refresh = s.selected != nullptr;
  co_await s.report_changes(true);
  s.ok(cmd.tag, "NOOP completed");
}

}  // namespace claret::imap::server
