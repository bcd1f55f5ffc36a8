// FsckProblem and FsckReport helpers (fsck.hpp).
#include "store/fsck.hpp"

namespace claret::store {

std::string FsckProblem::line() const {
  std::string out = kind + " " + subject + ": " + detail;
  if (repaired) out += " (repaired)";
  return out;
}

size_t FsckReport::repaired_count() const {
  size_t n = 0;
  for (const FsckProblem& p : problems) n += p.repaired ? 1 : 0;
  return n;
}

}  // namespace claret::store
