// Flag conversion between IMAP flag lists and store::Flags (RFC 9051 §2.3.2).
#include "imap/server/flags.hpp"

#include "base/strings.hpp"

namespace claret::imap::server {

namespace {

struct SystemFlag {
  const char* name;
  std::uint32_t bit;
};
constexpr SystemFlag kSystemFlags[] = {
    {"\\Seen", store::flag::kSeen},       {"\\Answered", store::flag::kAnswered}, {"\\Flagged", store::flag::kFlagged},
    {"\\Deleted", store::flag::kDeleted}, {"\\Draft", store::flag::kDraft},
};

}  // namespace

void append_flags_wire(std::string& out, const store::Flags& flags, bool recent) {
  out += recent ? "(\\Recent" : "(";
  bool first = !recent;
  for (const auto& f : kSystemFlags) {
    if ((flags.system & f.bit) == 0) continue;
    if (!first) out += ' ';
    out += f.name;
    first = false;
  }
  for (const auto& k : flags.keywords) {
    if (!first) out += ' ';
    out += k;
    first = false;
  }
  out += ')';
}

std::string flags_to_wire(const store::Flags& flags, bool recent) {
  std::string out;
  append_flags_wire(out, flags, recent);
  return out;
}

store::Flags flags_from_list(const std::vector<std::string>& flags) {
  store::Flags out;
  for (const auto& name : flags) {
    if (!name.empty() && name[0] == '\\') {
      for (const auto& f : kSystemFlags)
        if (iequals(name, f.name)) out.system |= f.bit;
      continue;
    }
    bool dup = false;
    for (const auto& k : out.keywords) dup = dup || iequals(k, name);
    if (!dup) out.keywords.push_back(name);
  }
  return out;
}

std::vector<std::string> system_flag_names() {
  std::vector<std::string> out;
  for (const auto& f : kSystemFlags) out.emplace_back(f.name);
  return out;
}

}  // namespace claret::imap::server
