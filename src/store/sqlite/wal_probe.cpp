// WalProbe: a read-only mapping of the WAL-index header (wal_probe.hpp says why that shows every commit).
#include "store/sqlite/wal_probe.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>

namespace claret::store::sqlite {
namespace {
// Two 48-byte header copies and the 40-byte checkpoint information: a -shm file shorter than this is not (yet) a
// WAL index.
constexpr off_t kIndexHeaderBytes = 136;
}  // namespace

WalProbe::WalProbe(const std::string& db_path) {
  const std::string path = db_path + "-shm";
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return;
  struct stat st {};
  if (::fstat(fd, &st) == 0 && st.st_size >= kIndexHeaderBytes) {
    const long page = ::sysconf(_SC_PAGESIZE);
    map_size_ = static_cast<size_t>(page > 0 ? page : 4096);
    void* m = ::mmap(nullptr, map_size_, PROT_READ, MAP_SHARED, fd, 0);
    if (m != MAP_FAILED) {
      map_ = m;
      header_ = static_cast<const volatile uint32_t*>(m);
    }
  }
  ::close(fd);  // the mapping stays valid without the descriptor
}

WalProbe::~WalProbe() {
  if (map_) ::munmap(map_, map_size_);
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
