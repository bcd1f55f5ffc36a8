// Writer: the single thread that owns the write connection and group-commits queued jobs (DESIGN.md §3 durability).
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "store/errc.hpp"
#include "store/sqlite/connection.hpp"
#include "store/types.hpp"

namespace claret::store::sqlite {

// What a job sees: the write connection inside an open transaction, and a place to stage the changes it made.
// Staged changes are kept only if the job succeeds and the batch commits.
class WriteContext {
 public:
  explicit WriteContext(Connection& db) : db(db) {}
  Connection& db;
  void emit(AccountId account, std::vector<Change> changes);
  std::vector<std::pair<AccountId, std::vector<Change>>> take() { return std::move(staged_); }

 private:
  std::vector<std::pair<AccountId, std::vector<Change>>> staged_;
};

struct CommitHooks {
  // Called on the writer thread inside the batch transaction, just before COMMIT: returns the blob ids whose last
  // reference went away (and whose rows it deleted), to be unlinked once the commit is durable. Sets
  // `files_released` when one of them is a file: that commit is then made strict whatever its jobs asked, since
  // the file is unlinked right after it (a relaxed commit lost in a crash would leave rows without their file).
  std::function<std::vector<std::string>(Connection&, bool& files_released)> collect_released;
  // Called on the writer thread after each successful commit with the changes in commit order.
  std::function<void(std::vector<std::pair<AccountId, std::vector<Change>>>)> published;
  // Called after commit with blob ids whose last reference went away in that commit.
  std::function<void(const std::vector<std::string>&)> blobs_released;
  // Deferred work (bulk full-text indexing): run on the writer thread in a transaction of its own, committed without
  // an fsync (what it writes can be redone after a crash). `idle` = no job arrived for a while: do everything;
  // otherwise (every few batches under sustained load) do only work worth a transaction of its own, so a burst does
  // not fall behind forever. Returns true when work may remain.
  std::function<bool(Connection&, bool idle)> background_work;
};

// How much a job's commit must reach the disk before its caller is told it succeeded.
//   strict:  the COMMIT fsyncs the WAL (synchronous=FULL) — new messages, anything acknowledged as stored.
//   relaxed: the COMMIT is atomic and ordered but not fsynced (synchronous=NORMAL): flag changes and expunges,
//            which Dovecot (mail_fsync=optimized) does not fsync either. A crash may lose the last relaxed
//            changes (the message comes back unread / unexpunged), never a message nor consistency; the next
//            strict commit or checkpoint makes them durable, because the WAL is written in order.
// A batch commits strictly when any of its jobs is strict.
enum class Durability { strict, relaxed };

// Callers block until the batch holding their job has committed (or failed). Each job runs in its own SAVEPOINT, so
// a failing job (quota, not found) rolls back alone while the rest of the batch commits with one fsync.
class Writer {
 public:
  Writer(std::unique_ptr<Connection> db, CommitHooks hooks);
  ~Writer();  // finishes queued jobs, then stops
  Writer(const Writer&) = delete;
  Writer& operator=(const Writer&) = delete;

  template <typename T>
  Result<T> run(std::function<Result<T>(WriteContext&)> fn, Durability durability = Durability::strict) {
    std::optional<Result<T>> out;
    std::promise<void> done;
    Job job;
    job.run = [&](WriteContext& ctx) {
      out.emplace(fn(ctx));
      return out->ok();
    };
    job.fail = [&](const std::string& why) { out.emplace(store_error(Errc::internal, why)); };
    job.done = &done;
    job.durability = durability;
    auto f = done.get_future();
    submit(std::move(job));
    f.wait();
    return std::move(*out);
  }

  uint64_t batches() const;  // for tests and the benchmark: number of committed transactions
  uint64_t relaxed_batches() const;  // of which committed without an fsync

 private:
  struct Job {
    std::function<bool(WriteContext&)> run;        // true = keep the job's writes
    std::function<void(const std::string&)> fail;  // replaces the result when the job or its batch failed
    std::promise<void>* done = nullptr;
    Durability durability = Durability::strict;
  };
  void submit(Job job);
  void loop();
  void run_batch(std::vector<Job>& batch);
  bool run_background(bool idle);  // true when background work may remain
  void set_synchronous_full(bool full);
  // fdatasync of the WAL file: makes the last relaxed commit durable. False (logged) when it failed.
  bool sync_wal();

  std::unique_ptr<Connection> db_;
  CommitHooks hooks_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stopping_ = false;
  uint64_t batches_ = 0;
  uint64_t relaxed_batches_ = 0;
  bool synchronous_full_ = true;  // the write connection's current PRAGMA synchronous (writer thread only)
  std::thread thread_;
};

}  // namespace claret::store::sqlite
