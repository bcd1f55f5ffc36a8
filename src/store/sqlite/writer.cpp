// Writer: single writer thread, SAVEPOINT per job, one COMMIT (one WAL fsync with synchronous=FULL) per batch.
#include "store/sqlite/writer.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <chrono>

#include "base/log.hpp"

namespace claret::store::sqlite {
namespace {
// Bounds the latency a batch adds to its first job and the size of one transaction.
constexpr size_t kMaxBatch = 256;
// Background work waits until no job arrived for this long (the queue empties for moments even under load)...
constexpr auto kIdleDelay = std::chrono::milliseconds(50);
// ...or, under sustained load, gets a turn after this many batches.
constexpr unsigned kBackgroundEvery = 16;
}  // namespace

void WriteContext::emit(AccountId account, std::vector<Change> changes) {
  if (!changes.empty()) staged_.emplace_back(account, std::move(changes));
}

Writer::Writer(std::unique_ptr<Connection> db, CommitHooks hooks) : db_(std::move(db)), hooks_(std::move(hooks)) {
  thread_ = std::thread([this] { loop(); });
}

Writer::~Writer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

uint64_t Writer::batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return batches_;
}

uint64_t Writer::relaxed_batches() const {
  std::lock_guard<std::mutex> lock(mu_);
  return relaxed_batches_;
}

void Writer::submit(Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(job));
  }
  cv_.notify_one();
}

void Writer::loop() {
  // Work left by a previous process (rows queued for indexing) is picked up at start.
  bool background_due = static_cast<bool>(hooks_.background_work);
  unsigned batches_since_background = 0;
  for (;;) {
    std::vector<Job> batch;
    bool idle = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      auto has_work = [&] { return stopping_ || !queue_.empty(); };
      if (background_due) {
        idle = !cv_.wait_for(lock, kIdleDelay, has_work);
      } else {
        cv_.wait(lock, has_work);
      }
      if (queue_.empty() && stopping_) return;  // drained; deferred work waits for the next start
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!batch.empty()) {
      run_batch(batch);
      background_due = static_cast<bool>(hooks_.background_work);
      ++batches_since_background;
    }
    if (background_due && (idle || batches_since_background >= kBackgroundEvery)) {
      batches_since_background = 0;
      background_due = run_background(idle);
    }
  }
}

void Writer::set_synchronous_full(bool full) {
  // Outside a transaction: SQLite applies the setting to the commits that follow.
  if (full == synchronous_full_) return;
  db_->exec(full ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
  synchronous_full_ = full;
}

bool Writer::run_background(bool idle) {
  bool more = false;
  try {
    set_synchronous_full(false);
    db_->exec("BEGIN IMMEDIATE");
    more = hooks_.background_work(*db_, idle);
    db_->exec("COMMIT");
  } catch (const std::exception& e) {
    // Not retried until the next batch: a persistent failure must not spin the writer.
    log::error("store.writer.background_failed", {{"error", e.what()}});
    try {
      db_->exec("ROLLBACK");
    } catch (const std::exception&) {
      // Already rolled back by SQLite.
    }
    return false;
  }
  return more;
}

bool Writer::sync_wal() {
  const char* db_path = sqlite3_db_filename(db_->handle(), "main");
  if (!db_path || !*db_path) return true;  // an in-memory database: nothing to make durable
  std::string wal = std::string(db_path) + "-wal";
  int fd = ::open(wal.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fdatasync(fd) != 0) {
    int err = errno;
    if (fd >= 0) ::close(fd);
    log::error("store.writer.wal_sync_failed", {{"path", wal}, {"error", std::strerror(err)}});
    return false;
  }
  ::close(fd);
  return true;
}

void Writer::run_batch(std::vector<Job>& batch) {
  std::vector<std::pair<AccountId, std::vector<Change>>> published;
  std::vector<std::string> released;
  bool committed = false;
  std::string failure;
  bool strict = false;
  for (const Job& job : batch) strict = strict || job.durability == Durability::strict;
  try {
    set_synchronous_full(strict);
    db_->exec("BEGIN IMMEDIATE");
    for (Job& job : batch) {
      WriteContext ctx(*db_);
      db_->exec("SAVEPOINT job");
      bool keep = false;
      try {
        keep = job.run(ctx);
      } catch (const std::exception& e) {
        // A failed statement inside the savepoint: this job alone is rolled back and reports an internal error.
        log::error("store.writer.job_failed", {{"error", e.what()}});
        job.fail(std::string("store write failed: ") + e.what());
      }
      if (keep) {
        db_->exec("RELEASE job");
        for (auto& c : ctx.take()) published.push_back(std::move(c));
      } else {
        db_->exec("ROLLBACK TO job");
        db_->exec("RELEASE job");
      }
    }
    bool files_released = false;
    if (hooks_.collect_released) released = hooks_.collect_released(*db_, files_released);
    db_->exec("COMMIT");
    // The safety level cannot change inside a transaction: a relaxed commit that released a blob file is made
    // durable after the fact, as synchronous=FULL would have (an fsync of the WAL), before the file is unlinked.
    if (files_released && !strict) {
      strict = true;
      if (!sync_wal()) released.clear();  // not durable: keep the files (orphans for `claret fsck --repair`)
    }
    committed = true;
  } catch (const std::exception& e) {
    failure = e.what();
    log::error("store.writer.batch_failed", {{"jobs", batch.size()}, {"error", failure}});
    try {
      db_->exec("ROLLBACK");
    } catch (const std::exception&) {
      // The transaction may already be gone (SQLite rolls back on some errors); nothing more to undo.
    }
  }
  if (committed) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++batches_;
      if (!strict) ++relaxed_batches_;
    }
    // Publish before waking callers, so a caller that saw its result also finds the change queued for observers.
    if (hooks_.published && !published.empty()) hooks_.published(std::move(published));
    if (hooks_.blobs_released && !released.empty()) hooks_.blobs_released(released);
  } else {
    for (Job& job : batch) job.fail("store transaction failed: " + failure);
  }
  for (Job& job : batch) job.done->set_value();
}

}  // namespace claret::store::sqlite
