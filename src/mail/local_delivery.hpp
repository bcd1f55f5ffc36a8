// Local delivery shared by SMTP, LMTP, `claret deliver` and later IMAP APPEND: resolve recipients, prepend
// the trace fields, parse once, store one blob for all recipients, and report per recipient.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/store.hpp"

namespace claret::mail {

struct RecipientOutcome {
  std::string recipient;          // as given
  Result<store::Delivered> result;  // the uid in the account's INBOX, or the store's error (not_found, over_quota …)
};

struct LocalDelivery {
  std::string reverse_path;             // MAIL FROM (without brackets); "" is the null sender
  std::vector<std::string> recipients;  // RCPT TO addresses, each resolved through the directory
  std::string trace;                    // header fields to prepend (Received …), CRLF-terminated, may be ""
  std::string_view message;             // the message as received, CRLF line endings
  int64_t internaldate = 0;             // unix seconds
  // Optional, one entry per recipient: the accounts it was resolved to moments ago (SMTP/LMTP RCPT), so delivery
  // does not resolve it a second time. Empty: each recipient is resolved here.
  std::vector<std::vector<store::AccountId>> resolved = {};
};

// Each recipient is resolved to accounts (aliases, plus-addressing, catch-all); an account reached through
// several recipients gets one copy. Durable when it returns: the blob and every INBOX row are committed
// (group commit) before any outcome is reported. The outer error means nothing was stored.
Result<std::vector<RecipientOutcome>> deliver_local(store::Store& store, const LocalDelivery& delivery);

}  // namespace claret::mail
