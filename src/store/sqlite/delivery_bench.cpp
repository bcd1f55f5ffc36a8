// claret_store_delivery_bench: deliveries per second with 1 and N concurrent callers, showing group commit (one
// fsync per batch). Usage: claret_store_delivery_bench [DIR] [SECONDS_PER_RUN]
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>
#include <vector>

#include "base/log.hpp"
#include "store/sqlite/sqlite_store.hpp"

using namespace claret;
using namespace claret::store;

namespace {

double run(Store& s, const std::vector<AccountId>& accounts, int threads, double seconds) {
  std::atomic<bool> stop{false};
  std::atomic<uint64_t> done{0};
  std::vector<std::thread> workers;
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&, t] {
      for (uint64_t n = 0; !stop; ++n) {
        std::string body = std::string("Subject: bench\r\n\r\nthread ") + std::to_string(t) + " message " + std::to_string(n) +
                           " " + std::to_string(threads) + "\r\n" + std::string(2000, 'b');
        auto blob = s.blobs().put(body);
        if (!blob) return;
        MessageMeta meta;
        meta.search_text = body;
        std::vector<DeliveryTarget> to{{accounts[t % accounts.size()], "INBOX", {}}};
        auto r = s.deliver(*blob, to, 1700000000, meta);
        if (r && (*r)[0]) ++done;
      }
    });
  }
  auto start = std::chrono::steady_clock::now();
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return static_cast<double>(done.load()) / elapsed;
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = argc > 1 ? argv[1] : (std::filesystem::temp_directory_path() / "claret-bench-XXXXXX").string();
  bool own_dir = argc <= 1;
  if (own_dir && !::mkdtemp(dir.data())) return 1;
  double seconds = argc > 2 ? std::atof(argv[2]) : 3.0;
  log::set_level(log::Level::warn);
  {
    auto store = sqlite::open_sqlite_store(dir);
    if (!store) {
      std::fprintf(stderr, "open: %s\n", store.error().message.c_str());
      return 1;
    }
    Store& s = **store;
    (void)s.directory().add_domain("bench.test");
    std::vector<AccountId> accounts;
    for (int i = 0; i < 16; ++i) {
      std::string address = std::string("u") + std::to_string(i) + "@bench.test";
      auto a = s.directory().get_account(address);
      if (!a) a = s.directory().create_account(NewAccount{address, "h", "s", 0});
      if (!a) return 1;
      accounts.push_back(a->id);
    }
    for (int threads : {1, 16}) {
      double rate = run(s, accounts, threads, seconds);
      std::printf("threads=%d deliveries_per_second=%.1f\n", threads, rate);
    }
  }
  if (own_dir) std::filesystem::remove_all(dir);
  return 0;
}
