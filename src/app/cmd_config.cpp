// `claret config check`: validates the configuration file and the files it names.
#include <cstdio>
#include <fstream>

#include "app/args.hpp"
#include "app/commands.hpp"
#include "app/config_path.hpp"

namespace claret::app {

int cmd_config(const Words& words) {
  auto args = Args::parse(words, {}, {"config"});
  if (!args) return fail(args.error().message, 2);
  if (args->positional().size() != 1 || args->positional()[0] != "check")
    return fail("usage: claret config check [--config FILE]", 2);
  auto cfg = load_config_or_report(*args);
  if (!cfg) return 1;
  // A config that parses but names a certificate that cannot be read would fail at `serve`;
  // report it now, the way an admin expects `check` to.
  for (const auto* path : {&cfg->tls_cert, &cfg->tls_key}) {
    if (path->empty()) continue;
    std::ifstream f(*path);
    if (!f) return fail(cfg->file.string() + ": cannot read " + path->string());
  }
  std::printf("configuration OK: %s\n", cfg->file.string().c_str());
  return 0;
}

int fail(const std::string& message, int code) {
  std::fprintf(stderr, "claret: %s\n", message.c_str());
  return code;
}

}  // namespace claret::app
