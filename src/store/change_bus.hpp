// ChangeBus: in-process publish/subscribe of committed store changes per account (IMAP IDLE/NOTIFY, webmail push).
#pragma once

#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "store/types.hpp"

namespace claret::store {

class ChangeBus;

// RAII handle: destroying it (or reset()) unsubscribes. After reset() returns, the callback is not running on any
// other thread and will not be called again, so state it captures may be destroyed. Calling reset() from inside the
// callback itself is allowed.
class Subscription {
 public:
  Subscription() = default;
  Subscription(Subscription&& other) noexcept;
  Subscription& operator=(Subscription&& other) noexcept;
  Subscription(const Subscription&) = delete;
  Subscription& operator=(const Subscription&) = delete;
  ~Subscription() { reset(); }
  void reset();
  bool active() const { return bus_ != nullptr; }

 private:
  friend class ChangeBus;
  Subscription(ChangeBus* bus, uint64_t id) : bus_(bus), id_(id) {}
  ChangeBus* bus_ = nullptr;
  uint64_t id_ = 0;
};

// Thread-safe. Callbacks run on the publishing thread without any bus lock held, so they may subscribe,
// unsubscribe or publish; they should be quick (they delay later notifications). The bus must outlive its
// subscriptions.
class ChangeBus {
 public:
  using Callback = std::function<void(AccountId, const std::vector<Change>&)>;

  ChangeBus() = default;
  ChangeBus(const ChangeBus&) = delete;
  ChangeBus& operator=(const ChangeBus&) = delete;

  [[nodiscard]] Subscription subscribe(AccountId account, Callback callback);
  void publish(AccountId account, const std::vector<Change>& changes);
  size_t subscriber_count(AccountId account) const;

 private:
  friend class Subscription;
  struct Entry {
    uint64_t id = 0;
    AccountId account = 0;
    Callback callback;
    bool active = true;
    std::vector<std::thread::id> running;  // threads currently inside the callback
  };
  void unsubscribe(uint64_t id);

  mutable std::mutex mu_;
  std::condition_variable idle_;
  uint64_t next_id_ = 1;
  std::multimap<AccountId, std::shared_ptr<Entry>> by_account_;
  std::map<uint64_t, std::shared_ptr<Entry>> by_id_;
};

}  // namespace claret::store
