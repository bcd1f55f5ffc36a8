// Mailbox commands: SELECT/EXAMINE (RFC 9051 §6.3.2-3, CONDSTORE RFC 7162 §3.1.8), CREATE, DELETE, RENAME
// (§6.3.4-6), SUBSCRIBE/UNSUBSCRIBE (§6.3.7-8), LIST (§6.3.9, CHILDREN RFC 3348, SPECIAL-USE RFC 6154), LSUB
// (RFC 3501 §6.3.9), NAMESPACE (RFC 2342), STATUS (§6.3.11), CLOSE, UNSELECT, CHECK (§6.4.1-2, RFC 3691).
#include <algorithm>

#include "base/log.hpp"
#include "imap/proto/list_pattern.hpp"
#include "imap/proto/mailbox_name.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "imap/server/error_map.hpp"
#include "imap/server/flags.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

namespace {

void reply_store_error(Session& s, std::string_view tag, const Error& e) {
  ErrorReply r = map_store_error(e, s.cid(), "imap.store.error");
  s.no(tag, r.text, r.code);
}

bool has_children(const std::vector<store::MailboxInfo>& all, const std::string& name) {
  const std::string prefix = name + "/";
  for (const auto& m : all)
    if (m.name.size() > prefix.size() && m.name.compare(0, prefix.size(), prefix) == 0) return true;
  return false;
}

// A name from a client for CREATE/RENAME: a trailing separator only says the client means a parent (§6.3.4).
Result<std::string> creatable_name(std::string name) {
  if (name.size() > 1 && name.back() == proto::kHierarchySeparator) name.pop_back();
  auto st = proto::validate_mailbox_name(name);
  if (!st) return st.error();
  return proto::normalize_inbox(std::move(name));
}

struct SelectData {
  store::MailboxInfo info;
  std::vector<std::uint32_t> uids;
  std::optional<std::uint32_t> first_unseen_uid;
};

}  // namespace

Task cmd_select(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::SelectArgs>(cmd.args);
  const bool read_only = cmd.info->id == proto::CommandId::examine;
  if (args.qresync) {  // RFC 7162 §3.2.5: only after ENABLE QRESYNC, which this server does not offer
    s.bad(cmd.tag, "QRESYNC is not enabled");
    co_return;
  }
  // RFC 9051 §6.3.2: a SELECT deselects the current mailbox first, even when the new one cannot be selected.
  const bool had_selected = s.selected != nullptr;
  s.unselect();
  if (had_selected) s.send(proto::untagged_status(proto::Condition::ok, proto::response_code(proto::code::kClosed),
                                                  "Previous mailbox closed"));
  if (args.condstore) s.condstore = true;
  store::MailStore* ms = s.mail.get();
  const std::string name = args.mailbox;
  auto data = co_await io::offload([ms, &name]() -> Result<SelectData> {
    auto info = ms->get_mailbox(name);
    if (!info) return info.error();
    if (info->noselect) return store::store_error(store::Errc::invalid, "mailbox is \\Noselect");
    auto uids = ms->list_uids(info->id);
    if (!uids) return uids.error();
    auto unseen = ms->search(info->id, store::SearchKey::without_flags(store::flag::kSeen));
    if (!unseen) return unseen.error();
    SelectData d{std::move(*info), std::move(*uids), std::nullopt};
    if (!unseen->empty()) d.first_unseen_uid = unseen->front();
    return d;
  });
  if (!data) {
    reply_store_error(s, cmd.tag, data.error());
    co_return;
  }
  auto view = std::make_unique<SelectedMailbox>(data->info, read_only, data->uids);
  const auto flags = system_flag_names();
  s.send(proto::flags_response(flags));
  s.send(proto::exists_response(view->count()));
  s.send(proto::recent_response(0));
  if (data->first_unseen_uid) {
    if (auto seq = view->seq_of(*data->first_unseen_uid))
      s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUnseen, *seq),
                                    "First unseen"));
  }
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidValidity,
                                                                         data->info.uidvalidity), "UIDs valid"));
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_number(proto::code::kUidNext, data->info.uidnext),
                                "Predicted next UID"));
  std::vector<std::string> permanent = read_only ? std::vector<std::string>{} : flags;
  if (!read_only) permanent.push_back("\\*");
  s.send(proto::untagged_status(proto::Condition::ok, proto::code_permanent_flags(permanent), "Limited"));
  s.send(proto::untagged_status(proto::Condition::ok,
                                proto::code_number(proto::code::kHighestModseq, data->info.highestmodseq),
                                "Highest"));
  s.select(std::move(view));
  s.ok(cmd.tag, read_only ? "EXAMINE completed" : "SELECT completed",
       proto::response_code(read_only ? proto::code::kReadOnly : proto::code::kReadWrite));
}

Task cmd_create(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::CreateArgs>(cmd.args);
  auto name = creatable_name(args.mailbox);
  if (!name) {
    s.no(cmd.tag, "Invalid mailbox name: " + name.error().message, proto::response_code(proto::code::kCannot));
    co_return;
  }
  if (args.special_use.size() > 1) {
    s.no(cmd.tag, "Only one special use per mailbox", proto::response_code("USEATTR"));
    co_return;
  }
  store::MailStore* ms = s.mail.get();
  const std::string n = *name;
  const std::string use = args.special_use.empty() ? std::string() : args.special_use.front();
  auto created = co_await io::offload([ms, &n, &use] { return ms->create_mailbox(n, use); });
  if (!created) {
    reply_store_error(s, cmd.tag, created.error());
    co_return;
  }
  s.ok(cmd.tag, "CREATE completed");
}

Task cmd_delete(Session& s, const proto::Command& cmd) {
  const std::string name = std::get<proto::MailboxArgs>(cmd.args).mailbox;
  if (name == "INBOX") {
    s.no(cmd.tag, "INBOX cannot be deleted", proto::response_code(proto::code::kCannot));
    co_return;
  }
  if (s.selected && s.selected->info().name == name) s.unselect();
  store::MailStore* ms = s.mail.get();
  auto deleted = co_await io::offload([ms, &name] { return ms->delete_mailbox(name); });
  if (!deleted) {
    reply_store_error(s, cmd.tag, deleted.error());
    co_return;
  }
  s.ok(cmd.tag, "DELETE completed");
}

Task cmd_rename(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::RenameArgs>(cmd.args);
  auto to = creatable_name(args.to);
  if (!to) {
    s.no(cmd.tag, "Invalid mailbox name: " + to.error().message, proto::response_code(proto::code::kCannot));
    co_return;
  }
  store::MailStore* ms = s.mail.get();
  const std::string from = args.from;
  const std::string target = *to;
  auto renamed = co_await io::offload([ms, &from, &target] { return ms->rename_mailbox(from, target); });
  if (!renamed) {
    reply_store_error(s, cmd.tag, renamed.error());
    co_return;
  }
  s.ok(cmd.tag, "RENAME completed");
}

Task cmd_subscribe(Session& s, const proto::Command& cmd) {
  const std::string name = std::get<proto::MailboxArgs>(cmd.args).mailbox;
  const bool on = cmd.info->id == proto::CommandId::subscribe;
  store::MailStore* ms = s.mail.get();
  auto st = co_await io::offload([ms, &name, on] { return ms->set_subscribed(name, on); });
  if (!st) {
    reply_store_error(s, cmd.tag, st.error());
    co_return;
  }
  s.ok(cmd.tag, on ? "SUBSCRIBE completed" : "UNSUBSCRIBE completed");
}

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

Task cmd_namespace(Session& s, const proto::Command& cmd) {
  s.send(proto::namespace_response(""));
  s.ok(cmd.tag, "NAMESPACE completed");
  co_return;
}

Task cmd_status(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::StatusArgs>(cmd.args);
  store::MailStore* ms = s.mail.get();
  const std::string name = args.mailbox;
  struct StatusData {
    store::MailboxStatus status;
    std::uint32_t deleted = 0;
  };
  const bool want_deleted =
      std::find(args.items.begin(), args.items.end(), proto::StatusItem::deleted) != args.items.end();
  auto data = co_await io::offload([ms, &name, want_deleted]() -> Result<StatusData> {
    auto info = ms->get_mailbox(name);
    if (!info) return info.error();
    if (info->noselect) return store::store_error(store::Errc::invalid, "mailbox is \\Noselect");
    auto st = ms->status(info->id);
    if (!st) return st.error();
    StatusData d{*st, 0};
    if (want_deleted) {
      auto del = ms->search(info->id, store::SearchKey::with_flags(store::flag::kDeleted));
      if (!del) return del.error();
      d.deleted = static_cast<std::uint32_t>(del->size());
    }
    return d;
  });
  if (!data) {
    reply_store_error(s, cmd.tag, data.error());
    co_return;
  }
  std::vector<std::pair<proto::StatusItem, std::uint64_t>> values;
  for (auto item : args.items) {
    using proto::StatusItem;
    switch (item) {
      case StatusItem::messages: values.emplace_back(item, data->status.messages); break;
      case StatusItem::uidnext: values.emplace_back(item, data->status.uidnext); break;
      case StatusItem::uidvalidity: values.emplace_back(item, data->status.uidvalidity); break;
      case StatusItem::unseen: values.emplace_back(item, data->status.unseen); break;
      case StatusItem::deleted: values.emplace_back(item, data->deleted); break;
      case StatusItem::size: values.emplace_back(item, data->status.size); break;
      case StatusItem::recent: values.emplace_back(item, 0); break;
      case StatusItem::highestmodseq:
        s.condstore = true;  // RFC 7162 §3.1: a CONDSTORE-enabling command
        values.emplace_back(item, data->status.highestmodseq);
        break;
      default: break;  // APPENDLIMIT, MAILBOXID, DELETED-STORAGE: extensions not advertised
    }
  }
  s.send(proto::status_response(name, values, false));
  s.ok(cmd.tag, "STATUS completed");
}

Task cmd_close(Session& s, const proto::Command& cmd) {
  const bool close = cmd.info->id == proto::CommandId::close;
  if (close && !s.selected->read_only()) {
    // RFC 9051 §6.4.1: CLOSE expunges silently (no EXPUNGE responses).
    store::MailStore* ms = s.mail.get();
    store::MailboxId id = s.selected->id();
    auto done = co_await io::offload([ms, id]() -> Result<store::ExpungeResult> {
      auto del = ms->search(id, store::SearchKey::with_flags(store::flag::kDeleted));
      if (!del) return del.error();
      if (del->empty()) return store::ExpungeResult{};
      return ms->expunge(id, store::UidSet::of(*del));
    });
    if (!done) log::warn("imap.close.expunge_failed", {{"cid", s.cid()}, {"error", done.error().message}});
  }
  s.unselect();
  s.ok(cmd.tag, close ? "CLOSE completed" : "UNSELECT completed");
}

Task cmd_check(Session& s, const proto::Command& cmd) {
  s.force_refresh = true;  // as NOOP: also catches other processes' additions and expunges
  co_await s.report_changes(true);
  s.ok(cmd.tag, "CHECK completed");
}

}  // namespace claret::imap::server
