// ShutdownSignal: a one-shot, thread-safe "the server is stopping" flag that sessions can poll or await.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <cstdint>
#include <functional>
#include <memory>

namespace claret::io {

class ShutdownSignal {
 public:
  ShutdownSignal();

  bool requested() const;
  // Completes once the signal is triggered (at once if it already was). Must be awaited from a
  // coroutine running on a strand (every session does), so the wake-up cannot race the wait.
  boost::asio::awaitable<void> wait() const;

  // Used by the Server: sets the flag and runs every registered callback once. Idempotent.
  void trigger() const;

  // Registers fn to run (on the triggering thread) when triggered; runs it at once if already
  // triggered. Returns an id for remove_callback. Used by Connection to interrupt reads.
  std::uint64_t add_callback(std::function<void()> fn) const;
  void remove_callback(std::uint64_t id) const;

 private:
  struct State;
  std::shared_ptr<State> state_;
};

}  // namespace claret::io
