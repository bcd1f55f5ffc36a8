// LIST (RFC 9051 §6.3.9, CHILDREN RFC 3348, SPECIAL-USE RFC 6154) and LSUB (RFC 3501 §6.3.9).
#include "imap/proto/list_pattern.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

bool has_children(const std::vector<store::MailboxInfo>& all, const std::string& name) {
  const std::string prefix = name + "/";
  for (const auto& m : all)
    if (m.name.size() > prefix.size() && m.name.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

}  // namespace

Task cmd_list(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::ListArgs>(cmd.args);
  const bool lsub = args.lsub;
  // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter and root.
  if (args.patterns.size() == 1 && args.patterns[0].empty() && !args.extended) {
    proto::ListEntry e;
    e.attributes.push_back("\\Noselect");
    s.send(proto::list_response(e, false, lsub));
    s.ok(cmd.tag, lsub ? "LSUB completed" : "LIST completed");
    co_return;
  }
  store::MailStore* ms = s.mail.get();
  auto all = co_await io::offload([ms] { return ms->list_mailboxes(); });
  if (!all) {
    reply_store_error(s, cmd.tag, all.error());
    co_return;
  }
  std::vector<std::string> patterns;
  for (const auto& p : args.patterns) patterns.push_back(proto::list_full_pattern(args.reference, p));
  const bool subscribed_only = lsub || args.select_subscribed;
  const bool special_only = args.select_special_use;
  for (const auto& m : *all) {
    bool match = false;
    for (const auto& p : patterns) match = match || proto::list_match(p, m.name);
    if (!match) continue;
    if (subscribed_only && !m.subscribed) continue;
    if (special_only && m.special_use.empty()) continue;
    proto::ListEntry e;
    e.name = m.name;
    if (m.noselect) e.attributes.push_back("\\Noselect");
    if (!lsub) e.attributes.push_back(has_children(*all, m.name) ? "\\HasChildren" : "\\HasNoChildren");
    if (!lsub && (args.return_subscribed || args.select_subscribed) && m.subscribed)
      e.attributes.push_back("\\Subscribed");
    if (!lsub && !m.special_use.empty()) e.attributes.push_back(m.special_use);
    s.send(proto::list_response(e, false, lsub));
  }
  s.ok(cmd.tag, lsub ? "LSUB completed" : "LIST completed");
}

}  // namespace claret::imap::server
