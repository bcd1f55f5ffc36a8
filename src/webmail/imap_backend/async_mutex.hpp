// A mutual exclusion for coroutines on one executor: HTTP requests of one user take turns on an IMAP connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <deque>
#include <memory>

namespace boost::asio {
class any_io_executor;
}

namespace claret::webmail {

class AsyncMutex {
 public:
  class Guard {
   public:
    explicit Guard(AsyncMutex* m) : m_(m) {}
    Guard(Guard&& o) noexcept : m_(o.m_) { o.m_ = nullptr; }
    Guard& operator=(Guard&&) = delete;
    ~Guard() {
      if (m_) m_->unlock();
    }

   private:
    AsyncMutex* m_;
  };

  AsyncMutex();
  ~AsyncMutex();
  boost::asio::awaitable<Guard> lock();
  bool locked() const { return locked_; }

 private:
  struct Waiter;
  void unlock();
  bool locked_ = false;
  std::deque<std::shared_ptr<Waiter>> waiters_;
};

}  // namespace claret::webmail
