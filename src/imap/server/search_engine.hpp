// Running a SEARCH program against the selected mailbox: shared by SEARCH, SORT and THREAD.
#pragma once

#include <cstdint>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/search_args.hpp"
#include "imap/server/selected_mailbox.hpp"
#include "store/mail_store.hpp"
#include "store/store.hpp"

namespace claret::imap::server {

struct SearchContext {
  const SelectedMailbox& view;
  const std::vector<std::uint32_t>& saved;  // the SEARCHRES result ("$"), UIDs ascending
};

struct SearchOutcome {
  std::vector<std::uint32_t> uids;  // ascending
  std::uint64_t highest_modseq = 0;  // of the matches, when want_modseq
};

// Blocking (offload it). Only messages in the view count: ones added since are not known to the client yet.
Result<SearchOutcome> run_search(store::Store& st, store::MailStore& ms, store::MailboxId mailbox,
                                 const proto::SearchKey& key, const SearchContext& ctx, bool want_modseq);

// The key (or a key below it) is MODSEQ: a CONDSTORE-enabling search (RFC 7162 §3.1.5).
bool uses_modseq(const proto::SearchKey& k);

}  // namespace claret::imap::server
