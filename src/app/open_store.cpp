// Opens the store named by the configuration.
#include "app/open_store.hpp"

#include "app/commands.hpp"
#include "store/sqlite/sqlite_store.hpp"

namespace claret::app {

std::unique_ptr<store::Store> open_store_or_report(const config::Config& cfg) {
  auto st = store::sqlite::open_sqlite_store(cfg.data_dir.string());
  if (!st) {
    fail(cfg.data_dir.string() + ": cannot open the store: " + st.error().message);
    return nullptr;
  }
  return std::move(st).value();
}

}  // namespace claret::app
