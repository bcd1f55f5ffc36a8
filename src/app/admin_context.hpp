// What the admin subcommands share: parsed arguments, the configuration and the open store.
#pragma once

#include <memory>
#include <optional>
#include <set>
#include <string>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "config/config.hpp"
#include "store/store.hpp"

namespace claret::app {

struct AdminContext {
  Args args;
  config::Config config;
  std::unique_ptr<store::Store> store;
};

// Parses the words (always accepting --config), loads the configuration and opens the store. On any
// error it has printed the one-line message and returns nullopt; `exit_code` says which code to use.
std::optional<AdminContext> open_admin(const Words& words, const std::set<std::string>& flags,
                                       std::set<std::string> options, int& exit_code);

// "10M" → 10485760; K, M, G, T are powers of 1024; a bare number is bytes; 0 means unlimited.
Result<uint64_t> parse_size(const std::string& text);

}  // namespace claret::app
