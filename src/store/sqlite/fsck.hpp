// fsck for the SQLite store: checks <data>/claret.db and <data>/blobs against each other (store/fsck.hpp).
//
// Safe while `claret serve` runs. The check reads one WAL snapshot, and a blob found missing or damaged there is
// looked at again in a fresh snapshot before it is reported (the server may have expunged it meanwhile). A repair
// takes the database's write lock like any writer (BEGIN IMMEDIATE, serialised with the server's group commits)
// and recomputes every repaired value inside that transaction, never from the earlier snapshot; blob files are
// removed only when no row references them inside a write transaction and they are older than the grace period.
#pragma once

#include <string>

#include "base/result.hpp"
#include "store/fsck.hpp"

namespace claret::store::sqlite {

// Errors (no database, unreadable, schema of another version) are an Error; problems found are in the report.
// With options.repair, the report's problems are those found before the repair, marked repaired when a check
// after the repair no longer finds them.
Result<FsckReport> fsck_sqlite_store(const std::string& data_dir, const FsckOptions& options);

}  // namespace claret::store::sqlite
