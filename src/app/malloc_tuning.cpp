// glibc malloc settings for `claret serve` (mallopt(3)): fixed trim and mmap thresholds.
#include "app/malloc_tuning.hpp"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace claret::app {

void tune_malloc_for_server() {
#if defined(__GLIBC__)
  // Why: every offload thread allocates and frees a message's buffers (DATA content, the blob, MIME metadata,
  // SQLite records) in its own arena. With glibc's default 128 KiB trim threshold, a burst of frees leaves more than
  // that free at the top of a thread arena, which glibc hands back with madvise(MADV_DONTNEED) — and the next
  // message faults the same pages in again. Under SMTP load that was a steady stream of madvise calls, page faults
  // and TLB shootdowns across the two cores (perf, docs/benchmarks.md "SMTP after the delivery-path store fixes").
  // Keeping up to 8 MiB free per arena stops that; the memory stays reusable, it just is not returned between
  // bursts. Setting the trim threshold turns off glibc's dynamic thresholds, so the mmap threshold is fixed too,
  // at 2 MiB (the dynamic one would otherwise stay at 128 KiB and mmap/munmap every large response buffer).
  mallopt(M_MMAP_THRESHOLD, 2 * 1024 * 1024);
  mallopt(M_TRIM_THRESHOLD, 8 * 1024 * 1024);
#endif
}

}  // namespace claret::app
