// Ownership of the data directory for privilege separation.
#include "app/data_dir_owner.hpp"

#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace claret::app {

Status hand_data_dir_to(const std::filesystem::path& dir, const std::string& user_name) {
  if (user_name.empty() || ::geteuid() != 0) return {};
  std::vector<char> buf(16384);
  struct passwd pw {};
  struct passwd* found = nullptr;
  if (::getpwnam_r(user_name.c_str(), &pw, buf.data(), buf.size(), &found) != 0 || !found)
    return make_error("unknown user " + user_name);
  struct stat st {};
  if (::stat(dir.c_str(), &st) != 0) return make_error("cannot stat " + dir.string() + ": " + std::strerror(errno));
  // Checking the top directory only keeps restarts cheap with 100,000 blobs; a partial earlier run is
  // completed because the top directory is changed last.
  if (st.st_uid == pw.pw_uid) return {};
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec); !ec && it != std::filesystem::recursive_directory_iterator();
       it.increment(ec)) {
    if (::lchown(it->path().c_str(), pw.pw_uid, pw.pw_gid) != 0)
      return make_error("cannot change the owner of " + it->path().string() + ": " + std::strerror(errno));
  }
  if (ec) return make_error("cannot walk " + dir.string() + ": " + ec.message());
  if (::lchown(dir.c_str(), pw.pw_uid, pw.pw_gid) != 0)
    return make_error("cannot change the owner of " + dir.string() + ": " + std::strerror(errno));
  return {};
}

}  // namespace claret::app
