// IMAP flag syntax (RFC 9051 §2.3.2, §9 flag / flag-list).
#include "imap/proto/flags.hpp"

#include "base/strings.hpp"

namespace claret::imap::proto {
namespace {
constexpr std::string_view kSystemFlags[] = {"\\Answered", "\\Flagged", "\\Deleted", "\\Seen", "\\Draft"};
}

bool is_system_flag(std::string_view flag) {
  for (auto f : kSystemFlags)
    if (iequals(f, flag)) return true;
  return false;
}

std::string canonical_flag(std::string_view flag) {
  for (auto f : kSystemFlags)
    if (iequals(f, flag)) return std::string(f);
  if (iequals(flag, "\\Recent")) return "\\Recent";
  return std::string(flag);
}

std::string read_flag(Cursor& c) {
  if (!c.ok()) return {};
  bool system = c.accept('\\');
  std::string_view name = c.atom();
  if (!c.ok()) return {};
  if (!system) return std::string(name);
  std::string flag = canonical_flag("\\" + std::string(name));
  if (flag == "\\Recent") {
    c.fail("\\Recent cannot be set");
    return {};
  }
  return flag;
}

std::vector<std::string> read_flag_list(Cursor& c) {
  std::vector<std::string> flags;
  c.list([&] { flags.push_back(read_flag(c)); });
  return c.ok() ? flags : std::vector<std::string>{};
}

}  // namespace claret::imap::proto
