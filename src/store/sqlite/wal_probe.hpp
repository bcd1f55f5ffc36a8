// WalProbe: has anyone committed to the database since a given moment? Answered from memory, without SQLite.
//
// In WAL mode every commit — by this process's writer, or by another process on the same database (`claret
// deliver`, the admin CLI) — rewrites the WAL-index header at the start of the "<db>-shm" file before the COMMIT
// returns: mxFrame grows, or the salts change when the WAL restarts (https://www.sqlite.org/walformat.html, "The
// WAL-Index Header"; the format is fixed because processes built against different SQLite versions share it). The
// probe maps that header read-only and compares it with a stamp taken earlier. Equal: no commit since — which lets
// SelectMemo answer SELECT on the event-loop thread without a trip to the blocking pool.
//
// A header caught mid-update only reads as "changed" (a needless miss), and the probe never claims "unchanged"
// across a commit whose COMMIT returned before the stamp was compared. It must not outlive the store's connections:
// SQLite truncates the -shm file only when no connection in any process has the database open.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "store/types.hpp"

namespace claret::store::sqlite {

class WalProbe {
 public:
  using Stamp = CommitStamp;  // the first copy of the 48-byte WAL-index header

  // Maps "<db_path>-shm" when it exists and holds a header; otherwise the probe is off and stamp() is nullopt.
  explicit WalProbe(const std::string& db_path);
  ~WalProbe();
  WalProbe(const WalProbe&) = delete;
  WalProbe& operator=(const WalProbe&) = delete;

  bool active() const { return header_ != nullptr; }
  std::optional<Stamp> stamp() const;

 private:
  const volatile uint32_t* header_ = nullptr;
  void* map_ = nullptr;
  size_t map_size_ = 0;
};

}  // namespace claret::store::sqlite
