// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: SUBSCRIBED, RECURSIVEMATCH, SPECIAL-USE selection;
// CHILDREN, SUBSCRIBED, SPECIAL-USE, STATUS returns), CHILDREN (RFC 3348), SPECIAL-USE (RFC 6154), LIST-STATUS
// (RFC 5819), and LSUB (RFC 3501 §6.3.9).
#include "imap/proto/list_pattern.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/mailbox_status.hpp"
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
  const bool utf8 = s.utf8_accept();
  // RFC 9051 §6.3.9: an empty pattern asks for the hierarchy delimiter and root.
  if (args.patterns.size() == 1 && args.patterns[0].empty() && !args.extended) {
    proto::ListEntry e;
    e.attributes.push_back("\\Noselect");
    s.send(proto::list_response(e, utf8, lsub));
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
  // RFC 5258 §3.1 RECURSIVEMATCH: a parent that does not match the selection itself is still listed, with
  // CHILDINFO, when one of its descendants does.
  auto selected_by_options = [&](const store::MailboxInfo& m) {
    return (!subscribed_only || m.subscribed) && (!special_only || !m.special_use.empty());
  };
  std::vector<proto::ListEntry> entries;
  std::vector<const store::MailboxInfo*> listed;
  for (const auto& m : *all) {
    bool match = false;
    for (const auto& p : patterns) match = match || proto::list_match(p, m.name);
    if (!match) continue;
    proto::ListEntry e;
    if (!selected_by_options(m)) {
      if (!args.select_recursive_match || lsub) continue;
      bool child_selected = false;
      const std::string prefix = m.name + "/";
      for (const auto& other : *all)
        child_selected = child_selected || (other.name.compare(0, prefix.size(), prefix) == 0 && selected_by_options(other));
      if (!child_selected) continue;
      e.childinfo_subscribed = args.select_subscribed;
    }
    e.name = m.name;
    if (m.noselect) e.attributes.push_back("\\Noselect");
    if (!lsub) e.attributes.push_back(has_children(*all, m.name) ? "\\HasChildren" : "\\HasNoChildren");
    if (!lsub && (args.return_subscribed || args.select_subscribed) && m.subscribed)
      e.attributes.push_back("\\Subscribed");
    if (!lsub && !m.special_use.empty()) e.attributes.push_back(m.special_use);
    entries.push_back(std::move(e));
    listed.push_back(&m);
  }
  // LIST-STATUS (RFC 5819): a STATUS after the LIST of each selectable mailbox, read in one offload.
  std::vector<std::optional<StatusData>> statuses(listed.size());
  if (args.return_status && !lsub) {
    const bool want_deleted = wants_deleted(*args.return_status);
    auto read = co_await io::offload([ms, &listed, &statuses, want_deleted]() -> Status {
      for (std::size_t i = 0; i < listed.size(); ++i) {
        if (listed[i]->noselect) continue;
        auto d = read_status(*ms, *listed[i], want_deleted);
        if (!d) return d.error();
        statuses[i] = std::move(*d);
      }
      return {};
    });
    if (!read) {
      reply_store_error(s, cmd.tag, read.error());
      co_return;
    }
  }
  for (std::size_t i = 0; i < entries.size(); ++i) {
    s.send(proto::list_response(entries[i], utf8, lsub));
    if (statuses[i]) s.send(proto::status_response(entries[i].name, status_values(s, *args.return_status, *statuses[i]), utf8));
  }
  s.ok(cmd.tag, lsub ? "LSUB completed" : "LIST completed");
}

}  // namespace claret::imap::server
