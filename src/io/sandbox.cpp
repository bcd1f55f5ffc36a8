// io::apply_sandbox with Landlock's raw system calls (no library). Debian 12's <linux/landlock.h> knows ABI 2;
// the constants of later ABIs are defined here, and each is used only when the running kernel reports it.
#include "io/sandbox.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/landlock.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "base/log.hpp"

namespace claret::io {
namespace {

// ABI 3 (Linux 6.2), ABI 5 (6.10): file rights.
constexpr uint64_t kFsTruncate = 1ULL << 14;
constexpr uint64_t kFsIoctlDev = 1ULL << 15;
// ABI 4 (6.7): TCP rights; ABI 6 (6.12): scopes.
constexpr uint64_t kNetBindTcp = 1ULL << 0;
constexpr uint64_t kScopeAbstractUnixSocket = 1ULL << 0;
constexpr uint64_t kScopeSignal = 1ULL << 1;

// struct landlock_ruleset_attr as of ABI 6; the kernel is told how much of it it knows (ABI ≤ 3: only the
// first field, ABI 4-5: two), so older kernels accept it.
struct RulesetAttr {
  uint64_t handled_access_fs = 0;
  uint64_t handled_access_net = 0;
  uint64_t scoped = 0;
};

constexpr uint64_t kFsAbi1 = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_READ_FILE |
                             LANDLOCK_ACCESS_FS_READ_DIR | LANDLOCK_ACCESS_FS_REMOVE_DIR | LANDLOCK_ACCESS_FS_REMOVE_FILE |
                             LANDLOCK_ACCESS_FS_MAKE_CHAR | LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
                             LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO | LANDLOCK_ACCESS_FS_MAKE_BLOCK |
                             LANDLOCK_ACCESS_FS_MAKE_SYM;
constexpr uint64_t kRefer = LANDLOCK_ACCESS_FS_REFER;

constexpr uint64_t kRead = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_READ_DIR;
constexpr uint64_t kReadExecute = kRead | LANDLOCK_ACCESS_FS_EXECUTE;
// What the store does in its directory: files and directories created, written, truncated, removed and renamed
// (blobs/tmp → blobs/xx needs REFER). No symlinks, sockets, FIFOs or device nodes, and nothing executed.
constexpr uint64_t kReadWrite = kRead | LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
                                LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_DIR |
                                LANDLOCK_ACCESS_FS_MAKE_REG | kRefer | kFsTruncate;
constexpr uint64_t kReadWriteFile = LANDLOCK_ACCESS_FS_READ_FILE | LANDLOCK_ACCESS_FS_WRITE_FILE | kFsTruncate;
// The rights that mean something on a file (the kernel refuses the others in a rule for a file).
constexpr uint64_t kFileRights = LANDLOCK_ACCESS_FS_EXECUTE | LANDLOCK_ACCESS_FS_WRITE_FILE |
                                 LANDLOCK_ACCESS_FS_READ_FILE | kFsTruncate | kFsIoctlDev;

long create_ruleset(const RulesetAttr* attr, size_t size, uint32_t flags) {
  return ::syscall(__NR_landlock_create_ruleset, attr, size, flags);
}
long add_rule(int ruleset_fd, const landlock_path_beneath_attr* attr) {
  return ::syscall(__NR_landlock_add_rule, ruleset_fd, LANDLOCK_RULE_PATH_BENEATH, attr, 0);
}
long restrict_self(int ruleset_fd) { return ::syscall(__NR_landlock_restrict_self, ruleset_fd, 0); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// Adds "access beneath `path`". A missing optional path is skipped: not every system has /lib64.
Status allow(int ruleset_fd, const std::filesystem::path& path, uint64_t access, uint64_t handled, bool required) {
  Fd fd(::open(path.c_str(), O_PATH | O_CLOEXEC));
  if (fd.get() < 0) {
    if (!required && (errno == ENOENT || errno == ENOTDIR)) return {};
    return make_error("sandbox: cannot open " + path.string() + ": " + std::strerror(errno));
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) return make_error("sandbox: cannot stat " + path.string() + ": " + std::strerror(errno));
  if (!S_ISDIR(st.st_mode)) access &= kFileRights;
  landlock_path_beneath_attr rule{};
  rule.allowed_access = access & handled;
  rule.parent_fd = fd.get();
  if (rule.allowed_access == 0) return {};
  if (add_rule(ruleset_fd, &rule) != 0)
    return make_error("sandbox: cannot allow access to " + path.string() + ": " + std::strerror(errno));
  return {};
}

int thread_count() {
  DIR* dir = ::opendir("/proc/self/task");
  if (dir == nullptr) return -1;
  int n = 0;
  while (const dirent* e = ::readdir(dir))
    if (e->d_name[0] != '.') ++n;
  ::closedir(dir);
  return n;
}

}  // namespace

SandboxPaths system_sandbox_paths() {
  SandboxPaths p;
  p.read_execute = {"/usr", "/lib", "/lib64", "/bin", "/sbin", "/opt"};
  p.read_only = {"/etc", "/proc", "/sys", "/dev/urandom", "/dev/random"};
  p.read_write_files = {"/dev/null"};
  // Some of /etc is a symlink elsewhere (resolv.conf into /run/systemd/resolve or /run/resolvconf), and is
  // replaced when the network changes: its real directory, not the file.
  for (const char* file : {"/etc/resolv.conf", "/etc/hosts", "/etc/localtime"}) {
    std::error_code ec;
    std::filesystem::path real = std::filesystem::canonical(file, ec);
    if (!ec && real.parent_path() != "/etc") p.read_only.push_back(real.parent_path());
  }
  return p;
}

int landlock_abi() {
  long abi = create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  return abi > 0 ? static_cast<int>(abi) : 0;
}

Result<SandboxOutcome> apply_sandbox(const SandboxPaths& paths) {
  SandboxOutcome out;
  long abi = create_ruleset(nullptr, 0, LANDLOCK_CREATE_RULESET_VERSION);
  if (abi <= 0) {
    out.reason = errno == ENOSYS       ? "the kernel has no Landlock (Linux 5.13 or later, CONFIG_SECURITY_LANDLOCK)"
                 : errno == EOPNOTSUPP ? "Landlock is disabled (add landlock to the lsm= boot parameter)"
                                       : std::string("landlock_create_ruleset: ") + std::strerror(errno);
    return out;
  }
  out.abi = static_cast<int>(abi);
  // ABI 1 refuses every rename and link between directories, and the blob store renames from blobs/tmp.
  if (abi < 2) {
    out.reason = "Landlock ABI 1 cannot allow renames between directories (Linux 5.19 or later needed)";
    return out;
  }

  RulesetAttr attr;
  attr.handled_access_fs = kFsAbi1 | kRefer;
  if (abi >= 3) attr.handled_access_fs |= kFsTruncate;
  if (abi >= 5) attr.handled_access_fs |= kFsIoctlDev;
  size_t size = sizeof(uint64_t);
  if (abi >= 4) {
    // No rule for any port: every listener is bound already, and a new one would be an attacker's.
    attr.handled_access_net = kNetBindTcp;
    size = 2 * sizeof(uint64_t);
    out.restricts_tcp_bind = true;
  }
  if (abi >= 6) {
    attr.scoped = kScopeAbstractUnixSocket | kScopeSignal;
    size = sizeof(RulesetAttr);
    out.scoped = true;
  }
  long ruleset = create_ruleset(&attr, size, 0);
  if (ruleset < 0) return make_error(std::string("sandbox: landlock_create_ruleset: ") + std::strerror(errno));
  Fd ruleset_fd(static_cast<int>(ruleset));

  const uint64_t handled = attr.handled_access_fs;
  for (const auto& p : paths.read_write)
    if (auto st = allow(ruleset_fd.get(), p, kReadWrite, handled, true); !st) return st.error();
  for (const auto& p : paths.read_write_files)
    if (auto st = allow(ruleset_fd.get(), p, kReadWriteFile, handled, false); !st) return st.error();
  for (const auto& p : paths.read_only)
    if (auto st = allow(ruleset_fd.get(), p, kRead, handled, false); !st) return st.error();
  for (const auto& p : paths.read_execute)
    if (auto st = allow(ruleset_fd.get(), p, kReadExecute, handled, false); !st) return st.error();

  if (int threads = thread_count(); threads > 1)
    log::warn("security.sandbox.threads_unconfined", {{"threads", threads - 1}});
  // Required to restrict oneself without CAP_SYS_ADMIN; also keeps a later execve from gaining privileges.
  if (::prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
    return make_error(std::string("sandbox: PR_SET_NO_NEW_PRIVS: ") + std::strerror(errno));
  if (restrict_self(ruleset_fd.get()) != 0)
    return make_error(std::string("sandbox: landlock_restrict_self: ") + std::strerror(errno));
  out.applied = true;
  return out;
}

Status disable_core_dumps() {
  struct rlimit none {};
  if (::setrlimit(RLIMIT_CORE, &none) != 0) return make_error(std::string("setrlimit(RLIMIT_CORE): ") + std::strerror(errno));
  return {};
}

}  // namespace claret::io
