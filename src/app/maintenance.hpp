// Background upkeep while `serve` runs: removes blob files that no message references any more (left
// behind by a crash between writing a blob and committing its row). Runs on its own thread so neither
// the event loop nor the store's writer waits for the directory walk.
#pragma once

#include <condition_variable>
#include <mutex>
#include <thread>

#include "store/store.hpp"

namespace claret::app {

class Maintenance {
 public:
  // First sweep shortly after start, then every `interval`. Blobs younger than an hour are never touched,
  // so a delivery in flight (blob written, row not yet committed) is safe.
  Maintenance(store::Store& store, std::chrono::seconds interval = std::chrono::hours(1));
  ~Maintenance();  // stops and joins
  Maintenance(const Maintenance&) = delete;
  Maintenance& operator=(const Maintenance&) = delete;

 private:
  void run();

  store::Store& store_;
  std::chrono::seconds interval_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace claret::app
