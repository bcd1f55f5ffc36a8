// ChangeNotifier: publishes committed changes on a ChangeBus from its own thread, preserving commit order, so the
// writer never waits for subscribers and a subscriber may call back into the store without deadlocking.
#pragma once

#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "store/change_bus.hpp"

namespace claret::store {

class ChangeNotifier {
 public:
  using Batch = std::vector<std::pair<AccountId, std::vector<Change>>>;
  explicit ChangeNotifier(ChangeBus& bus);
  ~ChangeNotifier();  // publishes everything queued, then stops
  ChangeNotifier(const ChangeNotifier&) = delete;
  ChangeNotifier& operator=(const ChangeNotifier&) = delete;

  void enqueue(Batch batch);

 private:
  void loop();
  ChangeBus& bus_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Batch> queue_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace claret::store
