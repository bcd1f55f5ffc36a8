// GET /api/events: Server-Sent Events for one folder (default INBOX), fed by the backend's IDLE. A comment
// line every keep-alive interval keeps proxies from timing the stream out and tells us when the browser left.
//
// The IDLE wait runs in its own coroutine (the pump) so the stream does not sleep inside it: a logout or
// an expiry of the session wakes the stream at once (a close listener cancels its timer), which sends
// `event: logout` and ends; the browser goes back to the login page without waiting for the keep-alive.
// Changes go through the session (publish/subscribe): the user's IDLE connection is shared, and after a
// reload the old stream's pump may be the one that sees the next change while only the new stream listens.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <deque>

#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

// Shared by the stream and its pump; both run on the stream's executor, so no lock.
struct EventsState {
  explicit EventsState(boost::asio::any_io_executor ex) : wake(std::move(ex)) {}
  boost::asio::steady_timer wake;  // the stream sleeps on it; cancel() wakes it
  std::deque<std::string> frames;  // SSE frames ready to send
  bool pump_done = false;          // the IDLE side failed or stopped
  bool stream_done = false;        // the browser side ended: the pump stops after its current wait
};

std::string folder_frame(const FolderEvent& e) {
  return "event: folder\ndata: " + json::Builder::object()
                                       .field("folder", e.folder)
                                       .field_num("exists", e.exists)
                                       .field_bool("expunged", e.expunged)
                                       .field_bool("flags_changed", e.flags_changed)
                                       .done() + "\n\n";
}

Task<void> pump(std::shared_ptr<EventsState> st, std::shared_ptr<UserSession> user, SessionTable* table,
                std::string folder, std::chrono::milliseconds wait) {
  while (!st->stream_done && !table->is_closed(*user)) {
    auto change = co_await user->mail->wait_for_change(folder, wait);
    if (!change) {
      if (!table->is_closed(*user))
        st->frames.push_back("event: error\ndata: " + json::Builder::object().field("error", change.error().message).done() + "\n\n");
      break;
    }
    // To every stream of the session watching this folder, this one included (see SessionTable::publish).
    if (*change) table->publish(*user, folder, folder_frame(**change));
  }
  st->pump_done = true;
  st->wake.cancel();
}

}  // namespace

Reply api_events(Call& call) {
  std::string folder = call.req.param("folder").value_or("INBOX");
  if (folder.empty()) folder = "INBOX";
  http::Response head;
  head.set("Content-Type", "text/event-stream; charset=utf-8");
  head.set("Cache-Control", "no-store");
  head.set("X-Accel-Buffering", "no");
  add_security_headers(head);
  call.keep_alive = false;  // the stream ends with the connection
  std::shared_ptr<UserSession> user = call.user;
  SessionTable* table = &call.server.sessions;
  auto executor = co_await boost::asio::this_coro::executor;
  auto state = std::make_shared<EventsState>(executor);
  std::chrono::milliseconds keepalive = call.server.options.events_keepalive;
  // Subscribe before telling the browser it is connected: a change another stream's IDLE sees from then on
  // must reach this stream too (frames published meanwhile wait in state->frames).
  uint64_t listener = table->on_close(*user, [executor, state] {
    boost::asio::post(executor, [state] { state->wake.cancel(); });
  });
  uint64_t subscription = table->subscribe(*user, [executor, state, folder](const std::string& changed, const std::string& frame) {
    if (changed != folder) return;
    boost::asio::post(executor, [state, frame] {
      state->frames.push_back(frame);
      state->wake.cancel();
    });
  });
  auto unsubscribe = [&] {
    state->stream_done = true;
    table->remove_close_listener(*user, listener);
    table->unsubscribe(*user, subscription);
  };
  auto opened = co_await call.conn.write(http::serialize_chunked_head(head, false) + http::chunk("retry: 5000\n: connected\n\n"));
  if (!opened) {
    unsubscribe();
    co_return http::Response{0, {}, {}};
  }
  boost::asio::co_spawn(executor, pump(state, user, table, folder, keepalive), boost::asio::detached);

  for (;;) {
    std::string out;
    bool stop = false;
    if (table->is_closed(*user)) {
      bool expired = table->is_expired(*user);
      out = "event: logout\ndata: " + json::Builder::object().field("reason", expired ? "expired" : "logout").done() + "\n\n";
      stop = true;
    } else if (call.conn.shutdown_requested()) {
      stop = true;
    } else if (!state->frames.empty()) {
      while (!state->frames.empty()) {
        out += state->frames.front();
        state->frames.pop_front();
      }
    } else if (state->pump_done) {
      stop = true;
    } else {
      state->wake.expires_after(keepalive);
      auto waited = co_await state->wake.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
      if (!std::get<0>(waited)) out = ": keep-alive\n\n";  // the timer ran out: nothing happened
    }
    if (!out.empty()) {
      auto wr = co_await call.conn.write(http::chunk(out));
      if (!wr) break;
    }
    if (stop) break;
  }
  unsubscribe();
  co_await call.conn.write(http::last_chunk());
  co_return http::Response{0, {}, {}};
}

}  // namespace claret::webmail
