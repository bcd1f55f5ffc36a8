// open_sqlite_store: the SQLite backend of claret::store::Store (<data>/claret.db, blobs in <data>/blobs).
#pragma once

#include <memory>
#include <string>

#include "base/result.hpp"
#include "store/sqlite/flag_cache.hpp"
#include "store/store.hpp"

namespace claret::store::sqlite {

struct SqliteOptions {
  size_t reader_connections = 4;
  // Blobs up to this size live in the database (sqlite_blob_store.hpp explains why); larger ones are files.
  uint64_t inline_blob_max_bytes = 128 * 1024;
  // Shared UID/flag listings of big mailboxes (flag_cache.hpp); tests lower min_messages to cache every mailbox.
  FlagCacheOptions flag_cache;
};

// Creates the data directory and database if needed and applies pending migrations (one transaction).
Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir, SqliteOptions options = {});

// How the store's FlagCache answered so far (tests: a repeated SELECT is a hit, a change is merged, not re-read).
// Zeros for a Store that is not an SQLite one.
FlagCache::Stats flag_cache_stats(Store& store);

}  // namespace claret::store::sqlite
