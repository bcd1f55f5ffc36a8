// WalProbe: has anyone committed to the database since a given moment? Answered from memory, without SQLite.
//
// In WAL mode every commit — by this process's writer, or by another process on the same database (`claret
// deliver`, the admin CLI) — rewrites the WAL-index header at the start of the shared-memory index ("<db>-shm")
// before the COMMIT returns: mxFrame grows, or the salts change when the WAL restarts
// (https://www.sqlite.org/walformat.html, "The WAL-Index Header"; the format is fixed because processes built
// against different SQLite versions share it). The probe reads that header and compares it with a stamp taken
// earlier. Equal: no commit since — which lets SelectMemo answer SELECT, and an IMAP poll skip its re-read, on the
// event-loop thread without a trip to the blocking pool.
//
// The header is read through the mapping SQLite itself made for one connection (the VFS's xShmMap of region 0),
// never through a descriptor of our own: closing any descriptor of the -shm file would drop this process's POSIX
// locks on it, among them SQLite's "dead man switch" lock, and the next process to open the database (the sqlite3
// shell, the admin CLI) would then truncate the file under every mapping here — SIGBUS (seen in bench/run, whose
// `sqlite3 -readonly` counts messages while claret delivers). So the probe lives exactly as long as that
// connection stays open, and reads only memory.
//
// A header caught mid-update only reads as "changed" (a needless miss), and the probe never claims "unchanged"
// across a commit whose COMMIT returned before the stamp was compared.
#pragma once

#include <cstdint>
#include <optional>

#include "store/types.hpp"

struct sqlite3;

namespace claret::store::sqlite {

class WalProbe {
 public:
  using Stamp = CommitStamp;  // the first copy of the 48-byte WAL-index header

  // Uses `db`'s mapping of the WAL index; call before any other thread uses `db`, which must outlive the probe. Off
  // (stamp() is nullopt) when the database is not in WAL mode or has no index yet.
  explicit WalProbe(::sqlite3* db);

  bool active() const { return header_ != nullptr; }
  std::optional<Stamp> stamp() const;

 private:
  const volatile uint32_t* header_ = nullptr;
};

}  // namespace claret::store::sqlite
