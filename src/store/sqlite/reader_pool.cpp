// ReaderPool: bounded set of read connections, opened lazily.
#include "store/sqlite/reader_pool.hpp"

namespace claret::store::sqlite {

std::unique_ptr<Connection> ReaderPool::acquire() {
  std::unique_lock<std::mutex> lock(mu_);
  cv_.wait(lock, [&] { return !idle_.empty() || open_ < max_; });
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
