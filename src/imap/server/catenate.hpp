// CATENATE (RFC 4469): an APPENDed message assembled from TEXT literals and IMAP URLs (RFC 5092 subset, no URLAUTH)
// of messages or their parts in the user's own mailboxes.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/append_args.hpp"
#include "store/mail_store.hpp"
#include "store/store.hpp"

namespace claret::imap::server {

struct Catenated {
  std::string data;
  std::string bad_url;   // non-empty: the URL that names nothing this user may read (NO [BADURL …])
  bool too_big = false;  // over `limit` (NO [TOOBIG])
};

// Blocking (offload it). `user`: the session's login; a URL naming another user is refused.
Result<Catenated> catenate(store::Store& st, store::MailStore& ms, const std::string& user,
                           const std::vector<proto::CatenatePart>& parts, std::uint64_t limit);

}  // namespace claret::imap::server
