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
