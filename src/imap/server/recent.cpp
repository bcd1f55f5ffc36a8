// \Recent claims and the RECENT response (RFC 3501 §2.3.2, §7.3.2).
#include "imap/server/recent.hpp"

#include "imap/proto/response.hpp"
#include "imap/server/session.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

Result<store::RecentClaim> take_recent(store::MailStore& ms, store::MailboxId mailbox, bool read_only) {
  // RFC 3501 §2.3.2: a read-only session must not take \Recent away from the others. A read-write one claims,
  // but only when there is something to claim: most SELECTs find nothing new and then cost no store write.
  auto st = ms.status(mailbox);
  if (!st) return st.error();
  return take_recent(ms, mailbox, read_only, st->first_recent_uid, st->uidnext);
}

Result<store::RecentClaim> take_recent(store::MailStore& ms, store::MailboxId mailbox, bool read_only,
                                       std::uint32_t first_recent_uid, std::uint32_t uidnext) {
  if (!recent_to_claim(read_only, first_recent_uid, uidnext)) return store::RecentClaim{first_recent_uid, uidnext};
  return ms.claim_recent(mailbox);
}

boost::asio::awaitable<void> announce_recent(Session& s) {
  if (s.imap4rev2 || !s.selected) co_return;
  store::MailStore* ms = s.mail.get();
  const store::MailboxId id = s.selected->id();
  const bool read_only = s.selected->read_only();
  auto claim = co_await io::offload([ms, id, read_only] { return take_recent(*ms, id, read_only); });
  if (!claim || !s.selected || s.selected->id() != id) co_return;  // not worth failing the command over
  s.selected->add_recent(*claim);
  s.send(proto::recent_response(s.selected->recent_count()));
}

}  // namespace claret::imap::server
