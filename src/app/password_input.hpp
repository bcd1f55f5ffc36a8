// Passwords for the admin CLI: read from standard input (never from argv, which `ps` shows), or generated.
#pragma once

#include <string>

#include "base/result.hpp"

namespace claret::app {

// One line from standard input, without its line ending; an error when empty or absent.
Result<std::string> read_password_stdin();

// 20 random characters from an unambiguous alphabet (about 110 bits).
std::string random_password();

}  // namespace claret::app
