// Tests for the group-commit Writer: batching, per-job rollback, failures isolated to their job, commit hooks.
#include "store/sqlite/writer.hpp"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <thread>

namespace claret::store::sqlite {
namespace {

class WriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-writer-XXXXXX").string();
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
    auto db = Connection::open(dir_ + "/w.db", true);
    db->exec("CREATE TABLE t(v INTEGER NOT NULL)");
    CommitHooks hooks;
    hooks.published = [this](std::vector<std::pair<AccountId, std::vector<Change>>> c) {
      published_ += static_cast<int>(c.size());
    };
    // Stands in for the store's blob release: a negative value "releases a file".
    hooks.collect_released = [](Connection& db, bool& files_released) {
      files_released = db.scalar(0, "SELECT count(*) FROM t WHERE v < 0") > 0;
      std::vector<std::string> ids;
      if (files_released) ids.push_back("file");
      db.run("DELETE FROM t WHERE v < 0");
      return ids;
    };
    writer_ = std::make_unique<Writer>(std::move(db), std::move(hooks));
  }
  void TearDown() override {
    writer_.reset();
    std::filesystem::remove_all(dir_);
  }
  int64_t count() {
    auto db = Connection::open(dir_ + "/w.db", false);
    return db->scalar(-1, "SELECT count(*) FROM t");
  }

  std::string dir_;
  std::atomic<int> published_{0};
  std::unique_ptr<Writer> writer_;
};

TEST_F(WriterTest, ConcurrentJobsShareCommits) {
  // The first job holds the writer for a while, so the others queue up and commit together.
  std::thread slow([&] {
    auto r = writer_->run<int>([](WriteContext& ctx) -> Result<int> {
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
      ctx.db.run("INSERT INTO t(v) VALUES (0)");
      return 0;
    });
    EXPECT_TRUE(r.ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  std::vector<std::thread> threads;
  for (int i = 1; i <= 15; ++i) {
    threads.emplace_back([&, i] {
      auto r = writer_->run<int>([i](WriteContext& ctx) -> Result<int> {
        ctx.db.run("INSERT INTO t(v) VALUES (?)", int64_t{i});
        ctx.emit(1, {Change{}});
        return i;
      });
      ASSERT_TRUE(r.ok());
      EXPECT_EQ(*r, i);
    });
  }
  slow.join();
  for (auto& t : threads) t.join();
  EXPECT_EQ(count(), 16);
  EXPECT_LT(writer_->batches(), 16u);  // group commit: fewer transactions than jobs
  EXPECT_EQ(published_.load(), 15);
}

TEST_F(WriterTest, FailedJobRollsBackAloneAndPublishesNothing) {
  auto bad = writer_->run<int>([](WriteContext& ctx) -> Result<int> {
    ctx.db.run("INSERT INTO t(v) VALUES (1)");
    ctx.emit(1, {Change{}});
    return Error{3, "refused"};
  });
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, 3);
  auto thrown = writer_->run<int>([](WriteContext& ctx) -> Result<int> {
    ctx.db.run("INSERT INTO t(v) VALUES (2)");
    ctx.db.run("INSERT INTO t(v) VALUES (NULL)");  // NOT NULL violation: SqlError inside the job
    return 0;
  });
  ASSERT_FALSE(thrown.ok());
  EXPECT_EQ(thrown.error().code, static_cast<int>(Errc::internal));
  auto good = writer_->run<void>([](WriteContext& ctx) -> Status {
    ctx.db.run("INSERT INTO t(v) VALUES (3)");
    return {};
  });
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(count(), 1);
  EXPECT_EQ(published_.load(), 0);
}

// Relaxed jobs commit without a WAL fsync (synchronous=NORMAL), strict ones with it; both are visible at once, and a
// later strict commit covers the relaxed ones before it (the WAL is one ordered file).
TEST_F(WriterTest, RelaxedJobsCommitWithoutFsyncStrictOnesWithIt) {
  auto insert = [](int v) {
    return [v](WriteContext& ctx) -> Status {
      ctx.db.run("INSERT INTO t(v) VALUES (?)", v);
      return {};
    };
  };
  ASSERT_TRUE(writer_->run<void>(insert(1), Durability::relaxed).ok());
  EXPECT_EQ(writer_->relaxed_batches(), 1u);
  EXPECT_EQ(count(), 1);
  ASSERT_TRUE(writer_->run<void>(insert(2)).ok());
  EXPECT_EQ(writer_->relaxed_batches(), 1u);
  EXPECT_EQ(writer_->batches(), 2u);
  ASSERT_TRUE(writer_->run<void>(insert(3), Durability::relaxed).ok());
  EXPECT_EQ(writer_->relaxed_batches(), 2u);
  EXPECT_EQ(count(), 3);
  auto sync = writer_->run<int64_t>([](WriteContext& ctx) -> Result<int64_t> {
    return ctx.db.scalar(-1, "PRAGMA synchronous");
  });
  ASSERT_TRUE(sync.ok());
  EXPECT_EQ(*sync, 2);  // FULL again for the strict job that asked
}

}  // namespace
}  // namespace claret::store::sqlite

namespace claret::store::sqlite {
namespace {

// Deferred work runs once the writer is idle, in a transaction of its own that commits what it wrote, and stops
// being offered once it reports nothing left.
TEST(WriterBackground, RunsWhenIdleAndCommitsItsWrites) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "claret-writer-bg-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const std::string dir = tmpl;
  auto db = Connection::open(dir + "/w.db", true);
  db->exec("CREATE TABLE t(v INTEGER NOT NULL)");
  db->exec("CREATE TABLE done(v INTEGER NOT NULL)");
  std::atomic<int> idle_calls{0};
  std::atomic<int> remaining{3};  // three rounds of work, then nothing
  CommitHooks hooks;
  hooks.background_work = [&](Connection& c, bool idle) {
    if (idle) ++idle_calls;
    if (remaining.load() == 0) return false;
    c.run("INSERT INTO done(v) SELECT count(*) FROM t");
    return --remaining > 0;
  };
  auto writer = std::make_unique<Writer>(std::move(db), std::move(hooks));
  auto r = writer->run<int>([](WriteContext& ctx) -> Result<int> {
    ctx.db.run("INSERT INTO t(v) VALUES (1)");
    return 0;
  });
  ASSERT_TRUE(r.ok());
  // Bounded wait for the three rounds (the writer waits 50 ms of quiet before each).
  auto check = Connection::open(dir + "/w.db", false);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (check->scalar(0, "SELECT count(*) FROM done") < 3 && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_EQ(check->scalar(0, "SELECT count(*) FROM done"), 3);
  EXPECT_EQ(remaining.load(), 0);
  EXPECT_GE(idle_calls.load(), 3);
  check.reset();
  writer.reset();
  std::filesystem::remove_all(dir);
}

// A relaxed batch that releases a blob file commits strictly: the file is unlinked right after the commit.
TEST_F(WriterTest, RelaxedBatchReleasingAFileCommitsStrictly) {
  auto insert = [](int v) {
    return [v](WriteContext& ctx) -> Status {
      ctx.db.run("INSERT INTO t(v) VALUES (?)", v);
      return {};
    };
  };
  ASSERT_TRUE(writer_->run<void>(insert(1), Durability::relaxed).ok());
  EXPECT_EQ(writer_->relaxed_batches(), 1u);
  ASSERT_TRUE(writer_->run<void>(insert(-1), Durability::relaxed).ok());
  EXPECT_EQ(writer_->relaxed_batches(), 1u);  // made strict
  EXPECT_EQ(writer_->batches(), 2u);
  EXPECT_EQ(count(), 1);
}

}  // namespace
}  // namespace claret::store::sqlite
