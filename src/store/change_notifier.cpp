// ChangeNotifier: FIFO hand-off from the committing thread to ChangeBus subscribers.
#include "store/change_notifier.hpp"

namespace claret::store {

ChangeNotifier::ChangeNotifier(ChangeBus& bus) : bus_(bus) {
  thread_ = std::thread([this] { loop(); });
}

ChangeNotifier::~ChangeNotifier() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void ChangeNotifier::enqueue(Batch batch) {
  if (batch.empty()) return;
  {
    std::lock_guard<std::mutex> lock(mu_);
    queue_.push_back(std::move(batch));
  }
  cv_.notify_one();
}

void ChangeNotifier::loop() {
  for (;;) {
    Batch batch;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) return;
      batch = std::move(queue_.front());
      queue_.pop_front();
    }
    for (auto& [account, changes] : batch) bus_.publish(account, changes);
  }
}

}  // namespace claret::store
