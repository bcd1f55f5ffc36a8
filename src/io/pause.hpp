// A session waits a while without blocking its thread (command-rate pacing, login-failure delays).
#pragma once

#include <chrono>

#include <boost/asio/awaitable.hpp>

namespace claret::io {

// Suspends the calling coroutine for `delay` on its own executor. Returns early only if the timer is cancelled.
boost::asio::awaitable<void> pause_for(std::chrono::milliseconds delay);

}  // namespace claret::io
