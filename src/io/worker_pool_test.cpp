// WorkerPool: every job runs, shutdown drains the queue, and an idle pool hands work to its warmest thread.
#include "io/worker_pool.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <set>
#include <thread>

namespace claret::io {
namespace {

// Waits (bounded) until `pool` has `n` idle threads: a job's completion is signalled before its thread goes idle.
bool wait_idle(const WorkerPool& pool, size_t n) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (pool.idle_threads() != n) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::yield();
  }
  return true;
}

std::thread::id run_one(WorkerPool& pool) {
  std::promise<std::thread::id> ran;
  auto done = ran.get_future();
  pool.post_fn([&ran] { ran.set_value(std::this_thread::get_id()); });
  return done.get();
}

TEST(WorkerPool, RunsEveryJobOnItsThreads) {
  std::atomic<int> count{0};
  std::set<std::thread::id> seen;
  std::mutex mu;
  {
    WorkerPool pool(4);
    for (int i = 0; i < 1000; ++i)
      pool.post_fn([&] {
        ++count;
        std::lock_guard lock(mu);
        seen.insert(std::this_thread::get_id());
      });
  }  // the destructor runs what is still queued, then joins
  EXPECT_EQ(count.load(), 1000);
  EXPECT_FALSE(seen.count(std::this_thread::get_id()));
  EXPECT_LE(seen.size(), 4u);
}

TEST(WorkerPool, IdlePoolWakesTheThreadThatWentIdleLast) {
  WorkerPool pool(8);
  ASSERT_TRUE(wait_idle(pool, 8));
  const auto first = run_one(pool);
  // One after another, each job finds the previous one's thread on top of the idle stack.
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(wait_idle(pool, 8));
    EXPECT_EQ(run_one(pool), first) << "job " << i;
  }
}

TEST(WorkerPool, BusyThreadsLeaveJobsToIdleOnes) {
  WorkerPool pool(2);
  ASSERT_TRUE(wait_idle(pool, 2));
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::promise<std::thread::id> blocked_id;
  pool.post_fn([gate, &blocked_id] {
    blocked_id.set_value(std::this_thread::get_id());
    gate.wait();
  });
  const auto blocked = blocked_id.get_future().get();
  // With one thread held, the next job must run on the other one rather than wait.
  EXPECT_NE(run_one(pool), blocked);
  release.set_value();
}

TEST(WorkerPool, ZeroThreadsMeansOne) {
  WorkerPool pool(0);
  EXPECT_NE(run_one(pool), std::this_thread::get_id());
}

}  // namespace
}  // namespace claret::io
