// ShutdownSignal implementation: a flag, a callback list, and an awaitable wait built on a timer.
#include "io/shutdown_signal.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <map>
#include <mutex>

namespace claret::io {

struct ShutdownSignal::State {
  std::atomic<bool> requested{false};
  std::mutex mutex;
  std::uint64_t next_id = 1;
  std::map<std::uint64_t, std::function<void()>> callbacks;
};

ShutdownSignal::ShutdownSignal() : state_(std::make_shared<State>()) {}

bool ShutdownSignal::requested() const { return state_->requested.load(std::memory_order_acquire); }

void ShutdownSignal::trigger() const {
  std::map<std::uint64_t, std::function<void()>> callbacks;
  {
    std::lock_guard lock(state_->mutex);
    if (state_->requested.exchange(true, std::memory_order_acq_rel)) return;
    callbacks.swap(state_->callbacks);
  }
  // Outside the lock: a callback may call remove_callback or post work that does.
  for (auto& [id, fn] : callbacks) fn();
}

std::uint64_t ShutdownSignal::add_callback(std::function<void()> fn) const {
  {
    std::lock_guard lock(state_->mutex);
    if (!state_->requested.load(std::memory_order_acquire)) {
      auto id = state_->next_id++;
      state_->callbacks.emplace(id, std::move(fn));
      return id;
    }
  }
  fn();
  return 0;
}

void ShutdownSignal::remove_callback(std::uint64_t id) const {
  std::lock_guard lock(state_->mutex);
  state_->callbacks.erase(id);
}

boost::asio::awaitable<void> ShutdownSignal::wait() const {
  namespace asio = boost::asio;
  if (requested()) co_return;
  auto executor = co_await asio::this_coro::executor;
  auto timer = std::make_shared<asio::steady_timer>(executor, asio::steady_timer::time_point::max());
  std::weak_ptr<asio::steady_timer> weak = timer;
  // The callback may run on any thread; the timer is only touched on the coroutine's executor.
  auto id = add_callback([weak, executor] {
    asio::post(executor, [weak] {
      if (auto t = weak.lock()) t->cancel();
    });
  });
  // Holds a copy (shared state), so the removal is safe even if the caller's signal object goes away.
  struct Remove {
    ShutdownSignal signal;
    std::uint64_t id;
    ~Remove() { signal.remove_callback(id); }
  } remove{*this, id};
  if (!requested()) co_await timer->async_wait(asio::as_tuple(asio::use_awaitable));
}

}  // namespace claret::io
