// AsyncMutex: waiters park on a timer that never expires; unlock hands the lock to the first live waiter by
// cancelling its timer (a waiter whose coroutine was destroyed has no pending wait and is skipped).
#include "webmail/imap_backend/async_mutex.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace claret::webmail {

struct AsyncMutex::Waiter {
  explicit Waiter(const boost::asio::any_io_executor& ex) : timer(ex, boost::asio::steady_timer::time_point::max()) {}
  boost::asio::steady_timer timer;
};

AsyncMutex::AsyncMutex() = default;
AsyncMutex::~AsyncMutex() = default;

boost::asio::awaitable<AsyncMutex::Guard> AsyncMutex::lock() {
  if (!locked_) {
    locked_ = true;
    co_return Guard(this);
  }
  auto ex = co_await boost::asio::this_coro::executor;
  auto w = std::make_shared<Waiter>(ex);
  waiters_.push_back(w);
  auto [ec] = co_await w->timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  (void)ec;  // operation_aborted: unlock() handed the lock over (locked_ stays true)
  co_return Guard(this);
}

void AsyncMutex::unlock() {
  while (!waiters_.empty()) {
    auto w = std::move(waiters_.front());
    waiters_.pop_front();
    if (w->timer.cancel() > 0) return;
  }
  locked_ = false;
}

}  // namespace claret::webmail
