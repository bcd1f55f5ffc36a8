// Periodic store upkeep for `serve`.
#include "app/maintenance.hpp"

#include "base/log.hpp"

namespace claret::app {

namespace {
constexpr int64_t kMinBlobAgeSeconds = 3600;
constexpr std::chrono::seconds kFirstSweepDelay{30};
}  // namespace

Maintenance::Maintenance(store::Store& store, std::chrono::seconds interval)
    : store_(store), interval_(interval), thread_([this] { run(); }) {}

Maintenance::~Maintenance() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_all();
  thread_.join();
}

void Maintenance::run() {
  std::unique_lock lock(mutex_);
  auto delay = std::chrono::duration_cast<std::chrono::seconds>(kFirstSweepDelay);
  while (!wake_.wait_for(lock, delay, [this] { return stopping_; })) {
    lock.unlock();
    auto removed = store_.sweep_unreferenced_blobs(kMinBlobAgeSeconds);
    if (removed) {
      if (*removed > 0) log::info("store.sweep.done", {{"removed", *removed}});
    } else {
      log::warn("store.sweep.failed", {{"error", removed.error().message}});
    }
    lock.lock();
    delay = interval_;
  }
}

}  // namespace claret::app
