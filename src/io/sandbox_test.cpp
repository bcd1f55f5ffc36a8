// Tests for io::apply_sandbox. A sandbox cannot be lifted, so each test confines a forked child; the child
// writes one line per failed check to a pipe and the parent turns them into test failures.
#include "io/sandbox.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

namespace claret::io {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "claret-sandbox-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write_file(const fs::path& p, const std::string& text) { std::ofstream(p) << text; }

// Runs `body` in a forked child; returns everything it reported (empty = every check passed).
std::string in_child(const std::function<void(std::string& report)>& body) {
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) return "pipe failed";
  pid_t pid = ::fork();
  if (pid < 0) return "fork failed";
  if (pid == 0) {
    ::close(pipe_fds[0]);
    std::string report;
    body(report);
    (void)!::write(pipe_fds[1], report.data(), report.size());
    ::_exit(0);
  }
  ::close(pipe_fds[1]);
  std::string report;
  char buf[4096];
  for (;;) {
    ssize_t n = ::read(pipe_fds[0], buf, sizeof buf);  // ends when the child exits (bounded by its checks)
    if (n <= 0) break;
    report.append(buf, static_cast<size_t>(n));
  }
  ::close(pipe_fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) report += "child did not exit cleanly\n";
  return report;
}

// Records `what` unless `rc` failed with one of the expected errnos.
void expect_denied(std::string& report, const std::string& what, int rc, std::initializer_list<int> errnos) {
  if (rc >= 0) {
    report += what + ": allowed, expected a refusal\n";
    return;
  }
  int e = errno;
  for (int expected : errnos)
    if (e == expected) return;
  report += what + ": failed with " + std::strerror(e) + ", expected EACCES\n";
}

void expect_ok(std::string& report, const std::string& what, int rc) {
  if (rc < 0) report += what + ": " + std::strerror(errno) + "\n";
}

TEST(Sandbox, ReportsTheLandlockAbi) {
  int abi = landlock_abi();
  EXPECT_GE(abi, 0);
  if (abi == 0) GTEST_SKIP() << "Landlock is not available on this kernel";
}

TEST(Sandbox, WritesOnlyBeneathTheDataDirectory) {
  if (landlock_abi() < 2) GTEST_SKIP() << "Landlock (ABI 2 or later) is not available on this kernel";
  TempDir data;
  TempDir outside;
  write_file(outside.path() / "existing", "private");
  fs::create_directory(data.path() / "tmp");
  fs::create_directory(data.path() / "ab");

  std::string report = in_child([&](std::string& r) {
    SandboxPaths paths = system_sandbox_paths();
    paths.read_write.push_back(data.path());
    auto outcome = apply_sandbox(paths);
    if (!outcome) {
      r += "apply_sandbox: " + outcome.error().message + "\n";
      return;
    }
    if (!outcome->applied) {
      r += "not applied: " + outcome->reason + "\n";
      return;
    }
    // Inside: what the store does (create, write, rename across directories, truncate, remove).
    const std::string inside_tmp = (data.path() / "tmp" / "blob").string();
    int fd = ::open(inside_tmp.c_str(), O_CREAT | O_WRONLY | O_TRUNC, 0600);
    expect_ok(r, "create inside", fd);
    if (fd >= 0) {
      expect_ok(r, "write inside", static_cast<int>(::write(fd, "mail", 4)));
      ::close(fd);
    }
    const std::string inside_final = (data.path() / "ab" / "blob").string();
    expect_ok(r, "rename between directories inside", ::rename(inside_tmp.c_str(), inside_final.c_str()));
    expect_ok(r, "truncate inside", ::truncate(inside_final.c_str(), 0));
    expect_ok(r, "mkdir inside", ::mkdir((data.path() / "dkim").c_str(), 0700));
    expect_ok(r, "unlink inside", ::unlink(inside_final.c_str()));
    // Reading what the system provides still works.
    fd = ::open("/etc/hosts", O_RDONLY | O_CLOEXEC);
    expect_ok(r, "read /etc/hosts", fd);
    if (fd >= 0) ::close(fd);
    fd = ::open("/etc/resolv.conf", O_RDONLY | O_CLOEXEC);  // c-ares reads it; often a symlink out of /etc
    if (fd < 0 && errno != ENOENT) expect_ok(r, "read /etc/resolv.conf", fd);
    if (fd >= 0) ::close(fd);
    fd = ::open("/dev/null", O_WRONLY | O_CLOEXEC);
    expect_ok(r, "write /dev/null", fd);
    if (fd >= 0) ::close(fd);

    // Outside: every kind of write is refused, and so is reading.
    const std::string created = (outside.path() / "new").string();
    const std::string existing = (outside.path() / "existing").string();
    expect_denied(r, "create outside", ::open(created.c_str(), O_CREAT | O_WRONLY, 0600), {EACCES});
    expect_denied(r, "write an existing file outside", ::open(existing.c_str(), O_WRONLY), {EACCES});
    expect_denied(r, "read an existing file outside", ::open(existing.c_str(), O_RDONLY), {EACCES});
    expect_denied(r, "unlink outside", ::unlink(existing.c_str()), {EACCES});
    expect_denied(r, "mkdir outside", ::mkdir((outside.path() / "d").c_str(), 0700), {EACCES});
    expect_denied(r, "symlink outside", ::symlink("/etc/passwd", (outside.path() / "l").c_str()), {EACCES});
    expect_denied(r, "create in /tmp", ::open("/tmp/claret-sandbox-escape", O_CREAT | O_WRONLY, 0600), {EACCES});
    write_file(data.path() / "leaving", "x");
    expect_denied(r, "rename from inside to outside",
                  ::rename((data.path() / "leaving").c_str(), (outside.path() / "left").c_str()), {EACCES, EXDEV});
    expect_denied(r, "write under /etc", ::open("/etc/hosts", O_WRONLY | O_APPEND), {EACCES});
    expect_denied(r, "create a symlink inside", ::symlink("/etc", (data.path() / "escape").c_str()), {EACCES});
    if (outcome->abi >= 3) expect_denied(r, "truncate outside", ::truncate(existing.c_str(), 0), {EACCES});
    if (outcome->restricts_tcp_bind) {
      int s = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
      sockaddr_in addr{};
      addr.sin_family = AF_INET;
      addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
      expect_denied(r, "bind a new TCP port", ::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), {EACCES});
      ::close(s);
    }
  });
  EXPECT_EQ(report, "");
  // Nothing reached the outside directory, and the file there is intact.
  EXPECT_FALSE(fs::exists(outside.path() / "new"));
  EXPECT_FALSE(fs::exists(outside.path() / "left"));
  EXPECT_FALSE(fs::exists("/tmp/claret-sandbox-escape"));
  std::ifstream in(outside.path() / "existing");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(text, "private");
}

TEST(Sandbox, AMissingDataDirectoryIsAnError) {
  if (landlock_abi() < 2) GTEST_SKIP() << "Landlock (ABI 2 or later) is not available on this kernel";
  std::string report = in_child([](std::string& r) {
    SandboxPaths paths;
    paths.read_write.push_back("/nonexistent/claret-data");
    auto outcome = apply_sandbox(paths);
    if (outcome) r += "applied without its data directory\n";
    else if (outcome.error().message.find("/nonexistent/claret-data") == std::string::npos)
      r += "error does not name the directory: " + outcome.error().message + "\n";
  });
  EXPECT_EQ(report, "");
}

TEST(Sandbox, CoreDumpsAreDisabled) {
  std::string report = in_child([](std::string& r) {
    if (auto st = disable_core_dumps(); !st) r += st.error().message + "\n";
    struct rlimit lim {};
    ::getrlimit(RLIMIT_CORE, &lim);
    if (lim.rlim_cur != 0 || lim.rlim_max != 0) r += "RLIMIT_CORE is not 0\n";
  });
  EXPECT_EQ(report, "");
}

}  // namespace
}  // namespace claret::io
