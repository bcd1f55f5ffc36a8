// IMAP response serialisation: RFC 9051 §4.3-§4.5 strings, §7.1 response codes, §7.2-§7.5 responses; RFC 4731
// §3.1 ESEARCH; RFC 5258 §3.5 LIST extended data; RFC 7162 §3.2.10 VANISHED; RFC 2971 ID; RFC 9208 §5 QUOTA.
#include "imap/proto/response.hpp"

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "imap/proto/mailbox_name.hpp"
#include "imap/proto/syntax.hpp"

namespace claret::imap::proto {
namespace {

constexpr std::size_t kMaxQuoted = 1024;

bool quotable(std::string_view s, bool utf8) {
  if (s.size() > kMaxQuoted) return false;
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if (c == '\r' || c == '\n' || c == '\0') return false;
    if (c >= 0x80 && !utf8) return false;
  }
  return !utf8 || is_valid_utf8(s);
}

void join(std::string& out, const std::vector<std::string>& items) {
  for (std::size_t k = 0; k < items.size(); ++k) {
    if (k) out += ' ';
    out += items[k];
  }
}

}  // namespace

std::string_view condition_name(Condition c) {
  switch (c) {
    case Condition::ok: return "OK";
    case Condition::no: return "NO";
    case Condition::bad: return "BAD";
    case Condition::preauth: return "PREAUTH";
    case Condition::bye: return "BYE";
  }
  return "BAD";
}

void append_literal(std::string& out, std::string_view s) {
  out += '{';
  out += std::to_string(s.size());
  out += "}\r\n";
  out += s;
}

void append_literal8(std::string& out, std::string_view s) {
  out += '~';
  append_literal(out, s);
}

void append_string(std::string& out, std::string_view s, bool utf8) {
  if (!quotable(s, utf8)) {
    append_literal(out, s);
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void append_astring(std::string& out, std::string_view s, bool utf8) {
  bool atom = !s.empty() && !iequals(s, "NIL");
  for (char c : s)
    if (!is_astring_char(c)) atom = false;
  if (atom)
    out += s;
  else
    append_string(out, s, utf8);
}

void append_nstring(std::string& out, std::optional<std::string_view> s, bool utf8) {
  if (!s)
    out += "NIL";
  else
    append_string(out, *s, utf8);
}

void append_mailbox(std::string& out, std::string_view name, bool utf8_accept) {
  append_astring(out, encode_mailbox(name, utf8_accept), utf8_accept);
}

void append_date_time(std::string& out, const DateTime& dt) {
  out += '"';
  out += format_date_time(dt);
  out += '"';
}

std::string flag_list(const std::vector<std::string>& flags) {
  std::string out = "(";
  join(out, flags);
  out += ')';
  return out;
}

std::string response_code(std::string_view name, std::string_view args) {
  std::string out = "[";
  out += name;
  if (!args.empty()) {
    out += ' ';
    out += args;
  }
  out += ']';
  return out;
}

std::string code_capability(const std::vector<std::string>& caps) {
  std::string args;
  join(args, caps);
  return response_code("CAPABILITY", args);
}

std::string code_permanent_flags(const std::vector<std::string>& flags) {
  return response_code("PERMANENTFLAGS", flag_list(flags));
}

std::string code_number(std::string_view name, std::uint64_t n) { return response_code(name, std::to_string(n)); }

std::string code_append_uid(std::uint32_t uidvalidity, std::string_view uid_set) {
  return response_code("APPENDUID", std::to_string(uidvalidity) + " " + std::string(uid_set));
}

std::string code_copy_uid(std::uint32_t uidvalidity, std::string_view source_set, std::string_view dest_set) {
  return response_code("COPYUID",
                       std::to_string(uidvalidity) + " " + std::string(source_set) + " " + std::string(dest_set));
}

std::string code_modified(std::string_view set) { return response_code("MODIFIED", set); }

std::string code_bad_charset(const std::vector<std::string>& supported) {
  if (supported.empty()) return response_code("BADCHARSET");
  std::string args = "(";
  for (std::size_t k = 0; k < supported.size(); ++k) {
    if (k) args += ' ';
    append_astring(args, supported[k]);
  }
  args += ')';
  return response_code("BADCHARSET", args);
}

std::string tagged(std::string_view tag, Condition c, std::string_view code, std::string_view text) {
  std::string out(tag);
  out += ' ';
  out += condition_name(c);
  out += ' ';
  if (!code.empty()) {
    out += code;
    out += ' ';
  }
  out += text.empty() ? std::string_view("done") : text;
  out += "\r\n";
  return out;
}

std::string untagged_status(Condition c, std::string_view code, std::string_view text) { return tagged("*", c, code, text); }

std::string untagged(std::string_view data) {
  std::string out = "* ";
  out += data;
  out += "\r\n";
  return out;
}

std::string continuation(std::string_view text) {
  std::string out = "+ ";
  out += text;
  out += "\r\n";
  return out;
}

std::string continuation_challenge(std::string_view challenge) { return continuation(base64_encode(challenge)); }

std::string capability_response(const std::vector<std::string>& caps) {
  std::string out = "* CAPABILITY";
  for (const auto& c : caps) out += ' ' + c;
  out += "\r\n";
  return out;
}

std::string enabled_response(const std::vector<std::string>& caps) {
  std::string out = "* ENABLED";
  for (const auto& c : caps) out += ' ' + c;
  out += "\r\n";
  return out;
}

std::string flags_response(const std::vector<std::string>& flags) { return untagged("FLAGS " + flag_list(flags)); }
std::string exists_response(std::uint32_t n) { return untagged(std::to_string(n) + " EXISTS"); }
std::string expunge_response(std::uint32_t seq) { return untagged(std::to_string(seq) + " EXPUNGE"); }
std::string recent_response(std::uint32_t n) { return untagged(std::to_string(n) + " RECENT"); }

std::string search_response(const std::vector<std::uint32_t>& numbers, std::optional<std::uint64_t> modseq) {
  std::string out = "* SEARCH";
  for (auto n : numbers) out += ' ' + std::to_string(n);
  // RFC 7162 §3.1.5: the MODSEQ part is present only when something matched.
  if (modseq && !numbers.empty()) out += " (MODSEQ " + std::to_string(*modseq) + ")";
  out += "\r\n";
  return out;
}

std::string esearch_response(std::string_view tag, bool uid, const EsearchResult& r) {
  std::string out = "* ESEARCH";
  if (!tag.empty()) {
    out += " (TAG ";
    append_string(out, tag);
    out += ')';
  }
  if (uid) out += " UID";
  if (r.min) out += " MIN " + std::to_string(*r.min);
  if (r.max) out += " MAX " + std::to_string(*r.max);
  if (r.all && !r.all->empty()) out += " ALL " + *r.all;
  if (r.count) out += " COUNT " + std::to_string(*r.count);
  if (r.modseq) out += " MODSEQ " + std::to_string(*r.modseq);
  out += "\r\n";
  return out;
}

std::string list_response(const ListEntry& e, bool utf8_accept, bool lsub) {
  std::string out = lsub ? "* LSUB " : "* LIST ";
  out += flag_list(e.attributes);
  out += " \"/\" ";
  append_mailbox(out, e.name, utf8_accept);
  if (e.childinfo_subscribed || e.old_name) {
    out += " (";
    bool first = true;
    if (e.childinfo_subscribed) {
      out += "\"CHILDINFO\" (\"SUBSCRIBED\")";
      first = false;
    }
    if (e.old_name) {
      if (!first) out += ' ';
      out += "\"OLDNAME\" (";
      append_mailbox(out, *e.old_name, utf8_accept);
      out += ')';
    }
    out += ')';
  }
  out += "\r\n";
  return out;
}

std::string status_response(std::string_view mailbox, const std::vector<std::pair<StatusItem, std::uint64_t>>& values,
                            bool utf8_accept) {
  std::string out = "* STATUS ";
  append_mailbox(out, mailbox, utf8_accept);
  out += " (";
  for (std::size_t k = 0; k < values.size(); ++k) {
    if (k) out += ' ';
    out += status_item_name(values[k].first);
    out += ' ';
    // MAILBOXID (RFC 8474 §4) is an objectid in parentheses; claret's are "F" and the store's mailbox id.
    if (values[k].first == StatusItem::mailboxid) out += "(F" + std::to_string(values[k].second) + ")";
    else out += std::to_string(values[k].second);
  }
  out += ")\r\n";
  return out;
}

std::string vanished_response(std::string_view uid_set, bool earlier) {
  std::string out = "* VANISHED ";
  if (earlier) out += "(EARLIER) ";
  out += uid_set;
  out += "\r\n";
  return out;
}

std::string namespace_response(std::string_view personal_prefix) {
  std::string out = "* NAMESPACE ((";
  append_string(out, personal_prefix, true);
  out += " \"/\")) NIL NIL\r\n";
  return out;
}

std::string id_response(const std::optional<std::vector<std::pair<std::string, std::string>>>& params) {
  if (!params || params->empty()) return "* ID NIL\r\n";
  std::string out = "* ID (";
  for (std::size_t k = 0; k < params->size(); ++k) {
    if (k) out += ' ';
    append_string(out, (*params)[k].first);
    out += ' ';
    append_string(out, (*params)[k].second);
  }
  out += ")\r\n";
  return out;
}

std::string quota_response(std::string_view root,
                           const std::vector<std::tuple<std::string, std::uint64_t, std::uint64_t>>& usage_limit) {
  std::string out = "* QUOTA ";
  append_astring(out, root);
  out += " (";
  for (std::size_t k = 0; k < usage_limit.size(); ++k) {
    if (k) out += ' ';
    const auto& [name, usage, limit] = usage_limit[k];
    out += name + " " + std::to_string(usage) + " " + std::to_string(limit);
  }
  out += ")\r\n";
  return out;
}

std::string quotaroot_response(std::string_view mailbox, const std::vector<std::string>& roots, bool utf8_accept) {
  std::string out = "* QUOTAROOT ";
  append_mailbox(out, mailbox, utf8_accept);
  for (const auto& r : roots) {
    out += ' ';
    append_astring(out, r);
  }
  out += "\r\n";
  return out;
}

std::string sort_response(const std::vector<std::uint32_t>& numbers, std::optional<std::uint64_t> modseq) {
  std::string out = "* SORT";
  for (auto n : numbers) out += ' ' + std::to_string(n);
  if (modseq && !numbers.empty()) out += " (MODSEQ " + std::to_string(*modseq) + ")";
  out += "\r\n";
  return out;
}

namespace {
// A single child continues the member list; several children each open a nested thread-list. Iterative along
// single-child chains so that long reply chains do not recurse deeply.
void append_thread(std::string& out, const ThreadNode& node) {
  const ThreadNode* n = &node;
  bool first = true;
  for (;;) {
    if (n->id != 0) {
      if (!first) out += ' ';
      out += std::to_string(n->id);
      first = false;
    }
    if (n->children.size() == 1) {
      n = &n->children.front();
      continue;
    }
    if (!n->children.empty() && !first) out += ' ';
    for (const auto& child : n->children) {
      out += '(';
      append_thread(out, child);
      out += ')';
    }
    return;
  }
}
}  // namespace

std::string thread_response(const std::vector<ThreadNode>& roots) {
  std::string out = "* THREAD ";
  for (const auto& root : roots) {
    out += '(';
    append_thread(out, root);
    out += ')';
  }
  if (roots.empty()) out.pop_back();
  out += "\r\n";
  return out;
}

}  // namespace claret::imap::proto
