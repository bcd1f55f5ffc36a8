// ReaderPool: bounded set of read connections, opened lazily.
#include "store/sqlite/reader_pool.hpp"

#include <chrono>

namespace claret::store::sqlite {

ReaderPool::~ReaderPool() {
  if (reads_ == 0) return;
  log::info("store.reader.stats", {{"pool", name_},
                                   {"connections", max_},
                                   {"reads", reads_},
                                   {"waited", waited_},
                                   {"wait_ms", wait_us_ / 1000},
                                   {"mean_wait_us", waited_ ? wait_us_ / waited_ : 0}});
}

std::unique_ptr<Connection> ReaderPool::acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  ++reads_;
  if (idle_.empty() && open_ >= max_) {
    // Timed only when it has to wait: the common case takes no clock reading.
    const auto start = std::chrono::steady_clock::now();
    cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
    ++waited_;
    wait_us_ += static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count());
  }
  if (!idle_.empty()) {
    auto c = std::move(idle_.back());
    idle_.pop_back();
    return c;
  }
  ++open_;
  lock.unlock();
  try {
    auto c = Connection::open(path_, false);
    c->exec("PRAGMA query_only=ON");
    // Readers map the database file instead of reading it with a pread per 4 KiB page: a 42 KB message body is
    // about 11 overflow pages, and with the connection's small page cache (2 MB) nearly every RETR or FETCH of a
    // body paid those system calls. Pages still in the WAL are read as before. Address space only: the mapping
    // covers at most the file. (https://sqlite.org/mmap.html; an I/O error on a mapped page would be a SIGBUS
    // instead of an error code, the same exposure as any mmapped file.)
    if (map_file_) c->exec("PRAGMA mmap_size=1073741824");
    return c;
  } catch (...) {
    lock.lock();
    --open_;
    cv_.notify_one();
    throw;
  }
}

void ReaderPool::release(std::unique_ptr<Connection> conn) {
  std::lock_guard<std::mutex> lock(mu_);
  if (conn) {
    idle_.push_back(std::move(conn));
  } else {
    --open_;
  }
  cv_.notify_one();
}

}  // namespace claret::store::sqlite
