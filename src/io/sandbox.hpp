// io::apply_sandbox: confine the running process with Landlock (Linux ≥ 5.13) so that, whatever a bug lets an
// attacker do inside it, it cannot write outside the directories it was given.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace claret::io {

struct SandboxPaths {
  // Files beneath these may be read, written, created, removed and renamed (not executed).
  std::vector<std::filesystem::path> read_write;
  // Files beneath these may be read and directories listed.
  std::vector<std::filesystem::path> read_only;
  // As read_only, and programs beneath them may be executed (the sanitizers' symbolizer, for one).
  std::vector<std::filesystem::path> read_execute;
  // Single files that may be read and written: /dev/null.
  std::vector<std::filesystem::path> read_write_files;
};

// What a process needs of the system whatever it does: libraries and their data (/usr, iconv modules, zone
// info), /etc (resolv.conf, hosts, nsswitch, the CA store), /proc and /sys (thread counts, the sanitizers),
// /dev/urandom, /dev/null, and the real directories of /etc/resolv.conf, /etc/hosts and /etc/localtime when they
// are symlinks out of /etc. Paths that do not exist on this machine are skipped when applied.
SandboxPaths system_sandbox_paths();

struct SandboxOutcome {
  bool applied = false;  // false: Landlock is not available here and the process runs unconfined
  int abi = 0;           // the Landlock ABI version used (0 = unavailable)
  std::string reason;    // why it was not applied
  bool restricts_tcp_bind = false;  // ABI ≥ 4: no new TCP listener can be bound
  bool scoped = false;              // ABI ≥ 6: no signals or abstract UNIX sockets outside the sandbox
};

// The Landlock ABI version of the running kernel, 0 when Landlock is unavailable (old kernel, disabled at boot,
// or blocked by a seccomp filter).
int landlock_abi();

// Sets PR_SET_NO_NEW_PRIVS and restricts the calling thread, and every thread and process it starts later, to
// `paths` (all other file access is refused with EACCES) and, where the ABI allows, forbids binding TCP ports,
// signalling processes outside the sandbox and connecting to abstract UNIX sockets outside it. Call it
// after binding and dropping privileges, before starting any thread: threads that already run stay unconfined.
// Landlock unavailable: {applied = false, reason}. An error only when Landlock is there but could not be set up
// (a read_write directory that cannot be opened, for one): the caller should not go on half-protected.
Result<SandboxOutcome> apply_sandbox(const SandboxPaths& paths);

// RLIMIT_CORE = 0: a crash must not leave private mail in a core file.
Status disable_core_dumps();

}  // namespace claret::io
