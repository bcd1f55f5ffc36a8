// NAMESPACE (RFC 2342): one personal namespace, "" with separator "/".
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_namespace(Session& s, const proto::Command& cmd) {
  s.send(proto::namespace_response(""));
  s.ok(cmd.tag, "NAMESPACE completed");
  co_return;
}

}  // namespace claret::imap::server
