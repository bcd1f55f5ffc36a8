// Sequence sets and UID sets → store UID sets through the session's view (RFC 9051 §6.4.9, §9).
#include "imap/server/message_set.hpp"

namespace claret::imap::server {

std::optional<store::UidSet> resolve_message_set(Session& s, std::string_view tag, const proto::SequenceSet& set,
                                                 bool uid_mode) {
  if (set.is_saved_result()) {
    // "$" (RFC 5182 §2.2): the saved UIDs that are still in the view, in UID and sequence commands alike.
    std::vector<std::uint32_t> uids;
    for (auto uid : s.saved_result)
      if (s.selected->seq_of(uid)) uids.push_back(uid);
    return store::UidSet::of(uids);
  }
  if (uid_mode) return s.selected->uids_for_uid_set(set);
  bool out_of_range = false;
  store::UidSet uids = s.selected->uids_for_sequence(set, out_of_range);
  if (out_of_range) {
    s.bad(tag, "Invalid message sequence number");
    return std::nullopt;
  }
  return uids;
}

}  // namespace claret::imap::server
