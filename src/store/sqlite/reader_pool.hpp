// ReaderPool: a few read connections so lookups, FETCH metadata and SEARCH never wait for the writer (WAL readers).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <exception>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/log.hpp"
#include "base/result.hpp"
#include "store/errc.hpp"
#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

class ReaderPool {
 public:
  // map_file: the connections map the database file (PRAGMA mmap_size) — right for bodies read whole, wrong for small
  // lookups under write load: SQLite drops a reader's whole mapping (munmap) at the first read after any commit.
  // name: shown in the stats line at shutdown (several pools share a process).
  ReaderPool(std::string path, size_t size, bool map_file = true, std::string name = "readers")
      : path_(std::move(path)), name_(std::move(name)), max_(size), map_file_(map_file) {}
  // Logs how often and how long reads queued for a connection (store.reader.stats): whether the pool is the queue.
  ~ReaderPool();
  ReaderPool(const ReaderPool&) = delete;
  ReaderPool& operator=(const ReaderPool&) = delete;

  size_t size() const { return max_; }

  // Runs fn(Connection&) -> Result<T> inside one read transaction (a consistent snapshot); SQL failures become
  // Errc::internal.
  template <typename T, typename Fn>
  Result<T> read(Fn&& fn) {
    std::unique_ptr<Connection> conn;
    try {
      conn = acquire();
    } catch (const std::exception& e) {
      log::error("store.reader.open_failed", {{"error", e.what()}});
      return store_error(Errc::internal, e.what());
    }
    Result<T> out = store_error(Errc::internal, "read did not run");
    bool healthy = true;
    try {
      conn->exec("BEGIN");
      out = fn(*conn);
      conn->exec("COMMIT");
    } catch (const std::exception& e) {
      log::error("store.reader.failed", {{"error", e.what()}});
      out = store_error(Errc::internal, std::string("store read failed: ") + e.what());
      try {
        conn->exec("ROLLBACK");
      } catch (const std::exception&) {
        healthy = false;  // do not return a connection in an unknown state to the pool
      }
    }
    release(healthy ? std::move(conn) : nullptr);
    return out;
  }

 private:
  std::unique_ptr<Connection> acquire();
  void release(std::unique_ptr<Connection> conn);

  std::string path_;
  std::string name_;
  size_t max_;
  bool map_file_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<Connection>> idle_;
  size_t open_ = 0;
  // Under mu_: reads served, reads that found every connection busy, and their summed wait.
  uint64_t reads_ = 0;
  uint64_t waited_ = 0;
  uint64_t wait_us_ = 0;
};

}  // namespace claret::store::sqlite
