// \Recent (RFC 3501 §2.3.2, §7.3.2 RECENT): which messages one session is the first to be told about. The store
// keeps, per mailbox, the first UID no session was told about (MailStore::claim_recent); a read-write session
// claims the new ones when it selects the mailbox and whenever new mail joins its view, a read-only one only looks.
// Under IMAP4rev2 (RFC 9051 dropped \Recent) nothing is claimed or announced.
#pragma once

#include <boost/asio/awaitable.hpp>

#include "base/result.hpp"
#include "store/mail_store.hpp"

namespace claret::imap::server {

class Session;

// Blocking (offload it): claimed for a read-write view; for a read-only one the unclaimed UIDs, left unclaimed.
Result<store::RecentClaim> take_recent(store::MailStore& ms, store::MailboxId mailbox, bool read_only);
// The same, when the caller already read the mailbox's first unclaimed UID and UIDNEXT in its own snapshot
// (SELECT's MailStore::select_snapshot): a store write only when a read-write view has something to claim.
Result<store::RecentClaim> take_recent(store::MailStore& ms, store::MailboxId mailbox, bool read_only,
                                       std::uint32_t first_recent_uid, std::uint32_t uidnext);

// Whether such a view has anything to claim (take_recent then writes): the one rule for both the blocking path and
// SELECT's in-memory answer, which must never need a write.
inline bool recent_to_claim(bool read_only, std::uint32_t first_recent_uid, std::uint32_t uidnext) {
  return !read_only && first_recent_uid < uidnext;
}

// After new messages joined the selected view: takes the recent ones and sends "* n RECENT".
boost::asio::awaitable<void> announce_recent(Session& s);

}  // namespace claret::imap::server
