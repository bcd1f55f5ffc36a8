// `claret domain add|list|del NAME`.
#include <cstdio>

#include "app/admin_context.hpp"

namespace claret::app {

int cmd_domain(const Words& words) {
  int code = 0;
  auto ctx = open_admin(words, {}, {}, code);
  if (!ctx) return code;
  const auto& pos = ctx->args.positional();
  auto& dir = ctx->store->directory();
  std::string verb = pos.empty() ? "" : pos[0];
  if (verb == "list" && pos.size() == 1) {
    auto domains = dir.list_domains();
    if (!domains) return fail(domains.error().message);
    for (const auto& d : *domains) std::printf("%s\n", d.c_str());
    return 0;
  }
  if ((verb == "add" || verb == "del") && pos.size() == 2) {
    Status st = verb == "add" ? dir.add_domain(pos[1]) : dir.remove_domain(pos[1]);
    if (!st) return fail(st.error().message);
    return 0;
  }
  return fail("usage: claret domain add NAME | list | del NAME", 2);
}

}  // namespace claret::app
