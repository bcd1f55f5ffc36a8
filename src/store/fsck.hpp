// Store consistency check (`claret fsck`): what is checked, what a problem looks like, what repair may do.
// Backend-neutral types; the SQLite implementation is store/sqlite/fsck.hpp.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace claret::store {

struct FsckOptions {
  // Repairs what can be repaired without losing mail: counters recomputed, UIDNEXT/HIGHESTMODSEQ raised,
  // reference counts fixed, orphan blobs removed. A message whose bytes are missing or damaged is only reported.
  bool repair = false;
  // Blob files nobody references are only counted (and removed) once they are this old: a delivery in flight,
  // by the server or an admin command, writes its blob file before the row that references it commits.
  int64_t orphan_grace_seconds = 3600;
};

struct FsckProblem {
  std::string kind;     // short token: missing-blob, corrupt-blob, uidnext, modseq, counters, usage, ...
  std::string subject;  // what is affected: "alice@example.org/INBOX uid 7", "blob 3f2a…", "queue entry 12"
  std::string detail;   // what is wrong, and what was (not) done about it
  bool repairable = false;
  bool repaired = false;

  // One line: "KIND SUBJECT: DETAIL" and " (repaired)" when it was.
  std::string line() const;
  bool same_as(const FsckProblem& other) const { return kind == other.kind && subject == other.subject; }
};

struct FsckReport {
  std::vector<FsckProblem> problems;
  uint64_t messages = 0;
  uint64_t blobs = 0;
  uint64_t orphans_too_young = 0;  // unreferenced blob files within the grace period: not counted as problems
  // `blobs` rows whose last reference went with reference count 0: the store's writer deletes them (and their
  // bytes) at its next commit — the queue's finished entries wait for it. Not problems either.
  uint64_t released_blobs = 0;

  bool clean() const { return problems.empty(); }
  size_t repaired_count() const;
};

}  // namespace claret::store
