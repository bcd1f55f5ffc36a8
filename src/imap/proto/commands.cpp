// Lookup in the IMAP command table (RFC 9051 §6).
#include "imap/proto/commands.hpp"

#include "base/strings.hpp"

namespace claret::imap::proto {

static_assert([] {
  for (std::size_t i = 0; i < kCommands.size(); ++i)
    if (static_cast<std::size_t>(kCommands[i].id) != i) return false;
  return true;
}(), "kCommands must be in CommandId order");

const CommandInfo* find_command(std::string_view name) {
  for (const auto& info : kCommands)
    if (iequals(info.name, name)) return &info;
  return nullptr;
}

const CommandInfo& command_info(CommandId id) { return kCommands[static_cast<std::size_t>(id)]; }

}  // namespace claret::imap::proto
