// ChangeBus: per-account fan-out of committed changes, with unsubscribe that is safe from inside a callback.
#include "store/change_bus.hpp"

#include <algorithm>

namespace claret::store {

Subscription::Subscription(Subscription&& other) noexcept : bus_(other.bus_), id_(other.id_) {
  other.bus_ = nullptr;
}

Subscription& Subscription::operator=(Subscription&& other) noexcept {
  if (this != &other) {
    reset();
    bus_ = other.bus_;
    id_ = other.id_;
    other.bus_ = nullptr;
  }
  return *this;
}

void Subscription::reset() {
  if (bus_) bus_->unsubscribe(id_);
  bus_ = nullptr;
}

Subscription ChangeBus::subscribe(AccountId account, Callback callback) {
  auto entry = std::make_shared<Entry>();
  entry->account = account;
  entry->callback = std::move(callback);
  std::lock_guard<std::mutex> lock(mu_);
  entry->id = next_id_++;
  by_account_.emplace(account, entry);
  by_id_.emplace(entry->id, entry);
  return Subscription(this, entry->id);
}

void ChangeBus::publish(AccountId account, const std::vector<Change>& changes) {
  if (changes.empty()) return;
  std::vector<std::shared_ptr<Entry>> targets;
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto [lo, hi] = by_account_.equal_range(account);
    for (auto it = lo; it != hi; ++it) targets.push_back(it->second);
  }
  const auto self = std::this_thread::get_id();
  for (auto& e : targets) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!e->active) continue;  // unsubscribed since the snapshot
      e->running.push_back(self);
    }
    e->callback(account, changes);
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto it = std::find(e->running.begin(), e->running.end(), self);
      if (it != e->running.end()) e->running.erase(it);
    }
    idle_.notify_all();
  }
}

void ChangeBus::unsubscribe(uint64_t id) {
  std::unique_lock<std::mutex> lock(mu_);
  auto it = by_id_.find(id);
  if (it == by_id_.end()) return;
  std::shared_ptr<Entry> e = it->second;
  by_id_.erase(it);
  auto [lo, hi] = by_account_.equal_range(e->account);
  for (auto a = lo; a != hi; ++a) {
    if (a->second == e) {
      by_account_.erase(a);
      break;
    }
  }
  e->active = false;
  // Wait for other threads still inside the callback, but not for ourselves (unsubscribing from within it).
  const auto self = std::this_thread::get_id();
  idle_.wait(lock, [&] {
    return std::all_of(e->running.begin(), e->running.end(), [&](std::thread::id t) { return t == self; });
  });
}

size_t ChangeBus::subscriber_count(AccountId account) const {
  std::lock_guard<std::mutex> lock(mu_);
  return by_account_.count(account);
}

}  // namespace claret::store
