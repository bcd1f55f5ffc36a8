// IDLE (RFC 2177, RFC 9051 §6.3.13): "+ idling", then untagged EXISTS/EXPUNGE/FETCH pushed as other sessions
// change the selected mailbox (a second coroutine on the session's strand waits on the ChangeFeed and writes
// while the first reads "DONE"), then the tagged OK.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/strings.hpp"
#include "imap/server/commands.hpp"

namespace claret::imap::server {

namespace {

// Changes made in this process wake the pusher at once (ChangeFeed posts a timer cancel). Other processes' commits
// (`claret deliver`, the admin CLI) are not on the change bus: every limits.imap.idle_poll_s the pusher compares the
// store's commit stamp with the view's, which costs nothing unless something was committed, and re-reads then.

struct IdleState {
  bool done = false;      // DONE (or an I/O end) was read: the pusher stops
  bool finished = false;  // the pusher has returned
  boost::asio::steady_timer join;
  explicit IdleState(boost::asio::any_io_executor ex) : join(std::move(ex)) {}
};

Task push_changes(Session* s, IdleState* state) {
  const std::chrono::milliseconds poll(std::chrono::seconds(s->config().imap.idle_poll_s));
  while (!state->done && !s->closing) {
    co_await s->feed().wait(poll);
    if (state->done) break;
    if (!s->feed().has_pending()) {
      if (!s->committed_since_listed()) continue;
      s->force_refresh = true;
    }
    co_await s->report_changes(true);
    const bool sent = co_await s->flush();
    if (!sent) break;
  }
  state->finished = true;
  state->join.cancel();
}

}  // namespace

Task cmd_idle(Session& s, const proto::Command& cmd) {
  s.force_refresh = s.selected != nullptr;
  co_await s.report_changes(true);
  s.send(proto::continuation("idling"));
  {
    const bool done_ok = co_await s.flush();
    if (!done_ok) co_return;
  }
  auto executor = co_await boost::asio::this_coro::executor;
  IdleState state(executor);
  boost::asio::co_spawn(executor, push_changes(&s, &state), boost::asio::detached);

  s.receiver().expect_line();
  auto ev = co_await s.next_event();

  state.done = true;
  s.feed().cancel_wait();
  while (!state.finished) {
    // The pusher wakes at once (cancel_wait) unless it is writing; bounded in case a write is stuck.
    state.join.expires_after(std::chrono::seconds(5));
    (void)co_await state.join.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
    s.feed().cancel_wait();
  }
  if (!ev) co_return;  // connection ended: the BYE is queued
  if (ev->kind == proto::Event::Kind::line && iequals(trim(ev->line), "DONE")) {
    s.ok(cmd.tag, "IDLE terminated");
    co_return;
  }
  s.bad(cmd.tag, "Expected DONE");
}

}  // namespace claret::imap::server
