// FETCH of only UID, FLAGS and MODSEQ (RFC 9051 §6.4.5, §7.5.2; RFC 7162 §3.1.4.1): what a client sends to resync a
// big mailbox ("UID FETCH 1:* (UID FLAGS)"). Answered from MailStore::fetch_flags and appended to one buffer, so
// 100,000 lines cost no allocation each.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "imap/proto/fetch_args.hpp"
#include "store/types.hpp"

namespace claret::imap::server {

// True when every item is UID, FLAGS or MODSEQ (and there is at least one).
bool flags_only(const std::vector<proto::FetchItem>& items);

// Appends "* seq FETCH (…)\r\n": UID first when add_uid (UID FETCH, or QRESYNC enabled), then the items in the
// client's order, each once, then MODSEQ when add_modseq and not asked for. The same text cmd_fetch's general
// formatter writes for these items.
void append_flag_fetch(std::string& out, std::uint32_t seq, const store::FlagRecord& r,
                       const std::vector<proto::FetchItem>& items, bool add_uid, bool add_modseq, bool recent);

}  // namespace claret::imap::server
