// Resolving a command's sequence set or UID set against the selected mailbox (RFC 9051 §6.4.9, §9).
#pragma once

#include <string_view>

#include "imap/proto/sequence_set.hpp"
#include "imap/server/session.hpp"

namespace claret::imap::server {

// The UIDs a command acts on ("$" is the SEARCHRES result); nullopt after queuing BAD (invalid message numbers).
std::optional<store::UidSet> resolve_message_set(Session& s, std::string_view tag, const proto::SequenceSet& set,
                                                 bool uid_mode);

}  // namespace claret::imap::server
