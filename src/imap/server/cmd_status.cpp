// STATUS (RFC 9051 §6.3.11, STATUS=SIZE RFC 8438, HIGHESTMODSEQ RFC 7162 §3.1.1).
#include <algorithm>

#include "imap/server/commands.hpp"
#include "imap/server/store_reply.hpp"
#include "io/offload.hpp"
#include "store/errc.hpp"

namespace claret::imap::server {

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

}  // namespace claret::imap::server
