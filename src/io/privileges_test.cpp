// Tests for io::drop_privileges. The real switch runs in a forked child so the test process keeps its uid.
#include "io/privileges.hpp"

#include <gtest/gtest.h>
#include <pwd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

namespace claret::io {
namespace {

TEST(DropPrivileges, NoUserIsANoOp) { EXPECT_TRUE(drop_privileges("")); }

TEST(DropPrivileges, UnknownUserIsAnError) {
  auto st = drop_privileges("claret-no-such-user-xyz");
  ASSERT_FALSE(st);
  EXPECT_NE(st.error().message.find("unknown user"), std::string::npos);
}

TEST(DropPrivileges, SwitchesToUserAndCannotRegainRoot) {
  struct passwd* nobody = ::getpwnam("nobody");
  if (nobody == nullptr) GTEST_SKIP() << "no 'nobody' user on this system";
  uid_t target = nobody->pw_uid;
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    auto st = drop_privileges("nobody");
    if (!st) _exit(2);
    bool ok = ::getuid() == target && ::geteuid() == target && ::setuid(0) != 0;
    _exit(ok ? 0 : 3);
  }
  // Bounded wait for the child.
  int status = 0;
  pid_t done = 0;
  for (int i = 0; i < 500 && done == 0; ++i) {
    done = ::waitpid(pid, &status, WNOHANG);
    if (done == 0) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  if (done == 0) {
    ::kill(pid, SIGKILL);
    ::waitpid(pid, &status, 0);
    FAIL() << "child did not finish";
  }
  ASSERT_TRUE(WIFEXITED(status));
  if (::geteuid() == 0) {
    EXPECT_EQ(WEXITSTATUS(status), 0);
  } else {
    // Not root: switching to another user must be refused.
    EXPECT_EQ(WEXITSTATUS(status), ::getuid() == target ? 0 : 2);
  }
}

}  // namespace
}  // namespace claret::io
