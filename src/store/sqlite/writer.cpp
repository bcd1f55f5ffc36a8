// Writer: single writer thread, SAVEPOINT per job, one COMMIT (one WAL fsync with synchronous=FULL) per batch.
#include "store/sqlite/writer.hpp"

#include "base/log.hpp"

namespace claret::store::sqlite {
namespace {
// Bounds the latency a batch adds to its first job and the size of one transaction.
constexpr size_t kMaxBatch = 256;
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
  for (;;) {
    std::vector<Job> batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;  // stopping and drained
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    run_batch(batch);
  }
}

void Writer::run_batch(std::vector<Job>& batch) {
  std::vector<std::pair<AccountId, std::vector<Change>>> published;
  std::vector<std::string> released;
  bool committed = false;
  std::string failure;
  bool strict = false;
  for (const Job& job : batch) strict = strict || job.durability == Durability::strict;
  try {
    // Outside the transaction: SQLite applies the setting to the commits that follow.
    if (strict != synchronous_full_) {
      db_->exec(strict ? "PRAGMA synchronous=FULL" : "PRAGMA synchronous=NORMAL");
      synchronous_full_ = strict;
    }
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
    if (hooks_.collect_released) released = hooks_.collect_released(*db_);
    db_->exec("COMMIT");
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
