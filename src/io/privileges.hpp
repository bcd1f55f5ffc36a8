// io::drop_privileges: switch a root process to an unprivileged user after binding its ports.
#pragma once

#include <string>

#include "base/result.hpp"

namespace claret::io {

// As root with a user name: initgroups + setgid + setuid to that user, then checks that setuid(0)
// now fails (the switch cannot be undone). Without a user name: nothing to do. When not root: ok if
// already running as that user, an error otherwise. Call before starting any thread (Server::run).
Status drop_privileges(const std::string& user_name);

}  // namespace claret::io
