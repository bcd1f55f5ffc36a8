// GET /api/events: Server-Sent Events for one folder (default INBOX), fed by the backend's IDLE. A comment
// line every keep-alive interval keeps proxies from timing the stream out and tells us when the browser left.
#include "webmail/server/api.hpp"

namespace claret::webmail {

Reply api_events(Call& call) {
  std::string folder = call.req.param("folder").value_or("INBOX");
  if (folder.empty()) folder = "INBOX";
  http::Response head;
  head.set("Content-Type", "text/event-stream; charset=utf-8");
  head.set("Cache-Control", "no-store");
  head.set("X-Accel-Buffering", "no");
  add_security_headers(head);
  call.keep_alive = false;  // the stream ends with the connection
  auto st = co_await call.conn.write(http::serialize_chunked_head(head, false) + http::chunk("retry: 5000\n: connected\n\n"));
  if (!st) co_return http::Response{0, {}, {}};
  std::shared_ptr<UserSession> user = call.user;
  for (;;) {
    if (call.server.sessions.is_closed(*user) || call.conn.shutdown_requested()) break;
    auto change = co_await user->mail->wait_for_change(folder, call.server.options.events_keepalive);
    std::string out;
    bool stop = false;
    if (!change) {
      out = "event: error\ndata: " + json::Builder::object().field("error", change.error().message).done() + "\n\n";
      stop = true;
    } else if (*change) {
      const FolderEvent& e = **change;
      out = "event: folder\ndata: " + json::Builder::object()
                                          .field("folder", e.folder)
                                          .field_num("exists", e.exists)
                                          .field_bool("expunged", e.expunged)
                                          .field_bool("flags_changed", e.flags_changed)
                                          .done() + "\n\n";
    } else {
      out = ": keep-alive\n\n";
    }
    auto wr = co_await call.conn.write(http::chunk(out));
    if (!wr || stop) break;
  }
  co_await call.conn.write(http::last_chunk());
  co_return http::Response{0, {}, {}};
}

}  // namespace claret::webmail
