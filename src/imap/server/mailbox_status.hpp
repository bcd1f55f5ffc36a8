// STATUS data for one mailbox (RFC 9051 §6.3.11): read in the store, then turned into the requested items.
// Shared by STATUS and LIST-STATUS (RFC 5819).
#pragma once

#include <cstdint>
#include <utility>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/mailbox_args.hpp"
#include "imap/server/session.hpp"

namespace claret::imap::server {

struct StatusData {
  store::MailboxInfo info;
  store::MailboxStatus status;
  std::uint32_t deleted = 0;
};

bool wants_deleted(const std::vector<proto::StatusItem>& items);
// Blocking (offload it). \Noselect mailboxes are Errc::invalid.
Result<StatusData> read_status(store::MailStore& ms, const store::MailboxInfo& info, bool want_deleted);
// The values in the order asked for; HIGHESTMODSEQ enables CONDSTORE (RFC 7162 §3.1). MAILBOXID's value is the
// store's mailbox id (proto writes it as "(F<id>)", RFC 8474 §4).
std::vector<std::pair<proto::StatusItem, std::uint64_t>> status_values(Session& s,
                                                                       const std::vector<proto::StatusItem>& items,
                                                                       const StatusData& d);

}  // namespace claret::imap::server
