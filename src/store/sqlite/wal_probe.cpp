// WalProbe: the WAL-index header through SQLite's own mapping (wal_probe.hpp says why that shows every commit, and
// why no descriptor of ours may touch the -shm file).
#include "store/sqlite/wal_probe.hpp"

#include <sqlite3.h>

#include <atomic>

namespace claret::store::sqlite {
namespace {
// The WAL index is mapped in regions of this size (WALINDEX_PGSZ in SQLite's wal.c); xShmMap must be asked for the
// same size every connection uses.
constexpr int kWalIndexRegionBytes = 32768;
}  // namespace

WalProbe::WalProbe(::sqlite3* db) {
  sqlite3_file* file = nullptr;
  if (sqlite3_file_control(db, "main", SQLITE_FCNTL_FILE_POINTER, &file) != SQLITE_OK || !file || !file->pMethods)
    return;
  if (file->pMethods->iVersion < 2 || !file->pMethods->xShmMap) return;  // a VFS without shared memory
  volatile void* region = nullptr;
  // bExtend = 0: only an index that exists (WAL mode, opened); the connection already holds the mapping.
  if (file->pMethods->xShmMap(file, 0, kWalIndexRegionBytes, 0, &region) != SQLITE_OK || !region) return;
  header_ = static_cast<const volatile uint32_t*>(region);
}

std::optional<WalProbe::Stamp> WalProbe::stamp() const {
  if (!header_) return std::nullopt;
  Stamp s;
  // Pairs with whatever made the caller's earlier events visible (the writer's commit, then a mutex or a futex on
  // the way back to the caller): the loads below are not hoisted above it.
  std::atomic_thread_fence(std::memory_order_acquire);
  for (size_t i = 0; i < s.words.size(); ++i) s.words[i] = header_[i];
  return s;
}

}  // namespace claret::store::sqlite
