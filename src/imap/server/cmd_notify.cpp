// NOTIFY SET / NOTIFY NONE (RFC 5465 §3, §6): which events the session is told about, for the selected mailbox
// and for others; the events themselves are sent by notify_report.cpp.
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/notify_report.hpp"

namespace claret::imap::server {

Task cmd_notify(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::NotifyArgs>(cmd.args);
  if (args.none) {
    s.notify = {};
    s.feed().watch_others(0);
    s.ok(cmd.tag, "NOTIFY NONE completed");
    co_return;
  }
  NotifyBuild built = build_notify_settings(args);
  if (!built.error.empty()) {
    s.bad(cmd.tag, built.error);
    co_return;
  }
  if (built.bad_event) {
    // RFC 5465 §6.1: the events the server does support, and the previous settings stay in effect.
    const std::string events = "(" + std::string(supported_notify_events()) + ")";
    s.no(cmd.tag, "Unsupported NOTIFY event", proto::response_code("BADEVENT", events));
    co_return;
  }
  s.notify = std::move(built.settings);
  s.feed().watch_others(s.notify.other_events());
  if (args.status) co_await send_notify_status_all(s);
  s.ok(cmd.tag, "NOTIFY completed");
}

}  // namespace claret::imap::server
