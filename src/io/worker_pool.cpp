// io::WorkerPool: LIFO wake-up of idle threads (worker_pool.hpp says why).
#include "io/worker_pool.hpp"

namespace claret::io {

WorkerPool::WorkerPool(unsigned threads) {
  if (threads == 0) threads = 1;
  workers_.reserve(threads);
  threads_.reserve(threads);
  for (unsigned i = 0; i < threads; ++i) {
    workers_.push_back(std::make_unique<Worker>());
    threads_.emplace_back([this, w = workers_.back().get()] { run(*w); });
  }
}

WorkerPool::~WorkerPool() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    for (Worker* w : idle_) {
      w->signalled = true;
      w->wake.notify_one();
    }
    idle_.clear();
  }
  for (auto& t : threads_) t.join();
}

void WorkerPool::post(std::unique_ptr<Job> job) {
  std::unique_lock lock(mu_);
  jobs_.push_back(std::move(job));
  if (idle_.empty()) return;  // every thread is busy: the first to finish takes it
  Worker* w = idle_.back();
  idle_.pop_back();
  w->signalled = true;
  lock.unlock();
  w->wake.notify_one();
}

size_t WorkerPool::idle_threads() const {
  std::lock_guard lock(mu_);
  return idle_.size();
}

void WorkerPool::run(Worker& self) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (!jobs_.empty()) {
      auto job = std::move(jobs_.front());
      jobs_.pop_front();
      lock.unlock();
      job->run();
      job.reset();  // the job's captures are destroyed off the lock too
      lock.lock();
      continue;
    }
    // Queue drained: on shutdown that means every posted job has run.
    if (stopping_) return;
    self.signalled = false;
    idle_.push_back(&self);
    self.wake.wait(lock, [&] { return self.signalled; });
    // Whoever signalled took this worker off the idle stack; a job it was woken for may already have been taken
    // by a thread that finished meanwhile, and then the loop goes back to waiting.
  }
}

}  // namespace claret::io
