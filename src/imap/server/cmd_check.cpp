// CHECK (RFC 3501 §6.4.1): a NOOP that also re-reads the mailbox.
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_check(Session& s, const proto::Command& cmd) {
  s.force_refresh = true;  // as NOOP: also catches other processes' additions and expunges
  co_await s.report_changes(true);
  s.ok(cmd.tag, "CHECK completed");
}

}  // namespace claret::imap::server
