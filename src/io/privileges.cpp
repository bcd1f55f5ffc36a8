// io::drop_privileges: initgroups(3), setgid(2), setuid(2) in that order (groups must change while
// still root), and a check that regaining root is impossible.
#include "io/privileges.hpp"

#include <grp.h>
#include <pwd.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

#include "base/log.hpp"

namespace claret::io {

Status drop_privileges(const std::string& user_name) {
  if (user_name.empty()) {
    if (::geteuid() == 0) log::warn("io.privileges.still_root");
    return {};
  }
  long size_hint = ::sysconf(_SC_GETPW_R_SIZE_MAX);
  std::vector<char> buffer(size_hint > 0 ? static_cast<std::size_t>(size_hint) : 16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  int rc = ::getpwnam_r(user_name.c_str(), &pw, buffer.data(), buffer.size(), &found);
  if (rc != 0 || found == nullptr) return make_error("unknown user " + user_name);

  if (::geteuid() != 0) {
    if (::getuid() == pw.pw_uid && ::geteuid() == pw.pw_uid) return {};
    return make_error("cannot switch to user " + user_name + ": not running as root");
  }
  if (::initgroups(pw.pw_name, pw.pw_gid) != 0)
    return make_error("initgroups(" + user_name + "): " + std::strerror(errno));
  if (::setgid(pw.pw_gid) != 0) return make_error("setgid(" + std::to_string(pw.pw_gid) + "): " + std::strerror(errno));
  if (::setuid(pw.pw_uid) != 0) return make_error("setuid(" + std::to_string(pw.pw_uid) + "): " + std::strerror(errno));
  // Defence in depth: if root could still be regained, the drop did not happen.
  if (pw.pw_uid != 0 && ::setuid(0) == 0) return make_error("privileges not dropped: setuid(0) still succeeds");
  log::info("io.privileges.dropped", {{"user", user_name}, {"uid", pw.pw_uid}, {"gid", pw.pw_gid}});
  return {};
}

}  // namespace claret::io
