// `claret alias add SOURCE TARGET... | list [DOMAIN] | del SOURCE`; SOURCE "@domain" is the catch-all.
#include <cstdio>

#include "app/admin_context.hpp"

namespace claret::app {

int cmd_alias(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {}, {}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  auto& dir = ctx->store->directory();
  std::string verb = pos.empty() ? "" : pos[0];
  if (verb == "list" && pos.size() <= 2) {
    std::optional<std::string_view> domain;
    if (pos.size() == 2) domain = pos[1];
    auto aliases = dir.list_aliases(domain);
    if (!aliases) return fail(aliases.error().message);
    for (const auto& a : *aliases) {
      std::string line = a.source + " ->";
      for (const auto& t : a.targets) line += " " + t;
      std::printf("%s\n", line.c_str());
    }
    return 0;
  }
  if (verb == "add" && pos.size() >= 3) {
    store::Alias alias{pos[1], std::vector<std::string>(pos.begin() + 2, pos.end())};
    if (auto st = dir.set_alias(alias); !st) return fail(st.error().message);
    return 0;
  }
  if (verb == "del" && pos.size() == 2) {
    if (auto st = dir.remove_alias(pos[1]); !st) return fail(st.error().message);
    return 0;
  }
  return fail("usage: claret alias add SOURCE TARGET... | list [DOMAIN] | del SOURCE", 2);
}

}  // namespace claret::app
