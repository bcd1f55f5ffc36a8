// Gives the data directory to the service user before `serve` drops root, so the unprivileged process
// can open its store and re-read its TLS key on SIGHUP.
#pragma once

#include <filesystem>
#include <string>

#include "base/result.hpp"

namespace claret::app {

// As root with a user name: when `dir` is not already owned by that user, changes the owner of `dir`
// and everything below it (not following symlinks). Otherwise nothing. Files stay 0600/0700.
Status hand_data_dir_to(const std::filesystem::path& dir, const std::string& user_name);

}  // namespace claret::app
