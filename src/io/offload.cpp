// io::offload worker pool: a lazily started process-wide WorkerPool for synchronous work.
#include "io/offload.hpp"

#include <atomic>
#include <boost/asio/async_result.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "io/worker_pool.hpp"

namespace claret::io {
namespace asio = boost::asio;
namespace {

std::atomic<unsigned> g_thread_count{4};
thread_local bool t_on_offload_thread = false;

WorkerPool& pool() {
  // A function-local static: started on first use, joined at exit after pending jobs finish.
  static WorkerPool instance(g_thread_count.load() == 0 ? 1 : g_thread_count.load());
  return instance;
}

}  // namespace

void set_offload_threads(unsigned count) { g_thread_count.store(count); }

bool on_offload_thread() { return t_on_offload_thread; }

namespace detail {

asio::awaitable<void> offload_erased(std::function<void()> job) {
  std::exception_ptr failure;
  co_await asio::async_initiate<decltype(asio::use_awaitable), void()>(
      [&job, &failure](auto handler) {
        // The work guard keeps the caller's io_context running while the job is away from it.
        auto caller = asio::get_associated_executor(handler);
        auto work = asio::make_work_guard(caller);
        pool().post_fn([&job, &failure, handler = std::move(handler), work = std::move(work)]() mutable {
          t_on_offload_thread = true;
          try {
            job();
          } catch (...) {
            failure = std::current_exception();
          }
          auto executor = work.get_executor();
          // Resume the coroutine on its own executor (its strand), never on the worker thread.
          asio::post(executor, std::move(handler));
          work.reset();
        });
      },
      asio::use_awaitable);
  if (failure) std::rethrow_exception(failure);
}

}  // namespace detail
}  // namespace claret::io
