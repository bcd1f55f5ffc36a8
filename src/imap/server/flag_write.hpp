// Flag writes that skip the store's writer when nothing would change (STORE, FETCH BODY[]'s implicit \Seen;
// RFC 9051 §6.4.6, §6.4.5).
#pragma once

#include <optional>

#include "base/result.hpp"
#include "store/mail_store.hpp"

namespace claret::imap::server {

// True when applying `op` with `requested` to `current` certainly leaves the flags as they are: add of flags all
// present, remove of flags all absent (keywords compared case-insensitively, as IMAP keywords are). Replace is
// never judged here (false): the store decides.
bool flag_op_is_noop(const store::Flags& current, store::FlagOp op, const store::Flags& requested);

// Blocking (run it through io::offload). MailStore::set_flags, except that a STORE which would change no message
// (re-marking read messages \Seen: a client's explicit STORE after FETCH BODY[] already set it) is answered from a
// read of the flag index instead of a job in the single writer's queue, where it would wait behind other
// sessions' commits. The answer is the same: every message of the set with its current flags, changed = false.
// UNCHANGEDSINCE always goes to the store (its modseq test belongs in the write transaction).
Result<store::SetFlagsResult> set_flags_unless_noop(store::MailStore& ms, store::MailboxId mailbox,
                                                    const store::UidSet& uids, store::FlagOp op,
                                                    const store::Flags& flags,
                                                    std::optional<std::uint64_t> unchanged_since);

}  // namespace claret::imap::server
