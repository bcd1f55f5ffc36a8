// Opening the configured store from a subcommand, with a one-line error.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "store/store.hpp"

namespace claret::app {

// Opens the store in cfg.data_dir (SQLite, the embedded default); prints "claret: ..." and returns
// nullptr on failure.
std::unique_ptr<store::Store> open_store_or_report(const config::Config& cfg);

}  // namespace claret::app
