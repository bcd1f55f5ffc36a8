// io::offload: run a blocking function (store access, file I/O, password hashing) on a separate worker
// pool and resume the calling coroutine on its own executor, so event-loop threads never block.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <exception>
#include <functional>
#include <optional>
#include <type_traits>
#include <utility>

namespace claret::io {

// Sets the number of offload worker threads. Effective only before the first offload() call (the pool
// starts lazily, so a server that drops privileges first never runs workers as root). Default 4.
void set_offload_threads(unsigned count);

// True when called from an offload worker thread (used by tests and assertions).
bool on_offload_thread();

namespace detail {
// Runs job on the pool; resumes on the caller's executor. Exceptions from job are rethrown here.
boost::asio::awaitable<void> offload_erased(std::function<void()> job);
}  // namespace detail

// co_await offload([&] { return store.append(...); }) → the function's return value. References
// captured by fn stay valid: the coroutine is suspended until fn has finished.
template <typename Fn>
boost::asio::awaitable<std::invoke_result_t<Fn&>> offload(Fn fn) {
  using R = std::invoke_result_t<Fn&>;
  if constexpr (std::is_void_v<R>) {
    co_await detail::offload_erased([&fn] { fn(); });
  } else {
    std::optional<R> result;
    co_await detail::offload_erased([&fn, &result] { result.emplace(fn()); });
    co_return std::move(*result);
  }
}

}  // namespace claret::io
