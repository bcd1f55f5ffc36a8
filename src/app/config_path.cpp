// Configuration file lookup for subcommands.
#include "app/config_path.hpp"

#include <cstdlib>

#include "app/commands.hpp"

namespace claret::app {

std::filesystem::path config_path(const Args& args) {
  if (auto c = args.option("config")) return *c;
  if (const char* env = std::getenv("CLARET_CONFIG"); env && *env) return env;
  std::error_code ec;
  if (std::filesystem::exists("var/claret.toml", ec)) return "var/claret.toml";
  return "/etc/claret/claret.toml";
}

std::optional<config::Config> load_config_or_report(const Args& args) {
  auto cfg = config::load(config_path(args));
  if (!cfg) {
    fail(cfg.error().message);
    return std::nullopt;
  }
  return std::move(cfg).value();
}

}  // namespace claret::app
