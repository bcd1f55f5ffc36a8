// STATUS items from the store's MailboxStatus (RFC 9051 §6.3.11, RFC 8438 SIZE, RFC 7162 HIGHESTMODSEQ,
// RFC 7889 APPENDLIMIT, RFC 8474 MAILBOXID).
#include "imap/server/mailbox_status.hpp"

#include <algorithm>

#include "store/errc.hpp"

namespace claret::imap::server {

bool wants_deleted(const std::vector<proto::StatusItem>& items) {
  return std::find(items.begin(), items.end(), proto::StatusItem::deleted) != items.end();
}

Result<StatusData> read_status(store::MailStore& ms, const store::MailboxInfo& info, bool want_deleted) {
  if (info.noselect) return store::store_error(store::Errc::invalid, "mailbox is \\Noselect");
  auto st = ms.status(info.id);
  if (!st) return st.error();
  StatusData d{info, *st, 0};
  if (want_deleted) {
    auto del = ms.search(info.id, store::SearchKey::with_flags(store::flag::kDeleted));
    if (!del) return del.error();
    d.deleted = static_cast<std::uint32_t>(del->size());
  }
  return d;
}

std::vector<std::pair<proto::StatusItem, std::uint64_t>> status_values(Session& s,
                                                                       const std::vector<proto::StatusItem>& items,
                                                                       const StatusData& d) {
  std::vector<std::pair<proto::StatusItem, std::uint64_t>> values;
  for (auto item : items) {
    using proto::StatusItem;
    switch (item) {
      case StatusItem::messages: values.emplace_back(item, d.status.messages); break;
      case StatusItem::uidnext: values.emplace_back(item, d.status.uidnext); break;
      case StatusItem::uidvalidity: values.emplace_back(item, d.status.uidvalidity); break;
      case StatusItem::unseen: values.emplace_back(item, d.status.unseen); break;
      case StatusItem::deleted: values.emplace_back(item, d.deleted); break;
      case StatusItem::size: values.emplace_back(item, d.status.size); break;
      case StatusItem::recent:
        // Messages no session was told about yet (RFC 3501 §6.3.10); RFC 9051 has no RECENT.
        if (!s.imap4rev2) values.emplace_back(item, d.status.recent);
        break;
      case StatusItem::highestmodseq:
        s.condstore = true;  // RFC 7162 §3.1: a CONDSTORE-enabling command
        values.emplace_back(item, d.status.highestmodseq);
        break;
      case StatusItem::appendlimit: values.emplace_back(item, s.append_limit()); break;
      case StatusItem::mailboxid: values.emplace_back(item, static_cast<std::uint64_t>(d.info.id)); break;
      default: break;  // DELETED-STORAGE: QUOTA's storage accounting is not per mailbox
    }
  }
  return values;
}

}  // namespace claret::imap::server
