// Which configuration file a subcommand uses, and loading it with a one-line error.
#pragma once

#include <filesystem>
#include <optional>

#include "app/args.hpp"
#include "config/config.hpp"

namespace claret::app {

// --config FILE, else $CLARET_CONFIG, else ./var/claret.toml if it exists, else /etc/claret/claret.toml.
std::filesystem::path config_path(const Args& args);

// Loads the configuration; on error prints "claret: FILE:LINE:COL: message" and returns nullopt.
std::optional<config::Config> load_config_or_report(const Args& args);

}  // namespace claret::app
