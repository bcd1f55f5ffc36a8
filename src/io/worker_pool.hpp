// io::WorkerPool: a fixed set of threads running posted jobs, waking the most recently idle thread first.
//
// Why not asio::thread_pool: its idle threads wait on one condition variable, and a signal wakes the longest
// waiter, so with the server's 64 blocking threads every short job (a SELECT's read of one row and a cached
// listing) ran on the coldest thread of the set — stack, caches and malloc arena all cold. Measured on the bigbox
// SELECT (docs/benchmarks.md): the offload trip cost about 65 µs with 64 threads against about 20 µs with 4. Here
// each idle thread waits on its own condition variable on a stack, and a job wakes the top one: under light load
// the same few threads do all the work and stay warm; under heavy load every thread is busy anyway.
#pragma once

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

namespace claret::io {

class WorkerPool {
 public:
  // A move-only job (the offload handler it carries is move-only, which std::function refuses).
  class Job {
   public:
    virtual ~Job() = default;
    virtual void run() = 0;
  };

  explicit WorkerPool(unsigned threads);
  // Runs every job already posted, then joins the threads.
  ~WorkerPool();
  WorkerPool(const WorkerPool&) = delete;
  WorkerPool& operator=(const WorkerPool&) = delete;

  // A job must not throw (offload catches for its callers); one that does ends the process like any thread would.
  void post(std::unique_ptr<Job> job);

  template <typename Fn>
  void post_fn(Fn fn) {
    struct FnJob final : Job {
      explicit FnJob(Fn f) : f_(std::move(f)) {}
      void run() override { f_(); }
      Fn f_;
    };
    post(std::make_unique<FnJob>(std::move(fn)));
  }

  // Threads waiting for work now (tests wait on it instead of sleeping).
  size_t idle_threads() const;

 private:
  struct Worker {
    std::condition_variable wake;
    bool signalled = false;
  };
  void run(Worker& self);

  mutable std::mutex mu_;
  std::deque<std::unique_ptr<Job>> jobs_;
  std::vector<Worker*> idle_;  // a stack: back() went idle last, so its caches are the warmest
  bool stopping_ = false;
  std::vector<std::unique_ptr<Worker>> workers_;
  std::vector<std::thread> threads_;
};

}  // namespace claret::io
