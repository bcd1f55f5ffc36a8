// ENABLE (RFC 5161).
#include "imap/server/commands.hpp"

namespace claret::imap::server {

Task cmd_enable(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::EnableArgs>(cmd.args);
  std::vector<std::string> enabled;
  for (const auto& cap : args.capabilities) {
    // RFC 5161 §3.1: only capabilities the server knows and that change behaviour are enabled; others ignored.
    if (cap == "CONDSTORE" && !s.condstore) {
      s.condstore = true;
      enabled.push_back(cap);
    }
  }
  s.send(proto::enabled_response(enabled));
  s.ok(cmd.tag, "ENABLE completed");
  co_return;
}

}  // namespace claret::imap::server
