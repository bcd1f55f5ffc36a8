// Flag writes that skip the writer when nothing would change (see flag_write.hpp).
#include "imap/server/flag_write.hpp"

#include <algorithm>
#include <string_view>

#include "base/strings.hpp"

namespace claret::imap::server {

namespace {

bool has_keyword(const store::Flags& f, std::string_view keyword) {
  return std::any_of(f.keywords.begin(), f.keywords.end(),
                     [&](const std::string& k) { return iequals(k, keyword); });
}

}  // namespace

bool flag_op_is_noop(const store::Flags& current, store::FlagOp op, const store::Flags& requested) {
  switch (op) {
    case store::FlagOp::add:
      if ((current.system & requested.system) != requested.system) return false;
      return std::all_of(requested.keywords.begin(), requested.keywords.end(),
                         [&](const std::string& k) { return has_keyword(current, k); });
    case store::FlagOp::remove:
      if ((current.system & requested.system) != 0) return false;
      return std::none_of(requested.keywords.begin(), requested.keywords.end(),
                          [&](const std::string& k) { return has_keyword(current, k); });
    case store::FlagOp::replace: return false;
  }
  return false;
}

Result<store::SetFlagsResult> set_flags_unless_noop(store::MailStore& ms, store::MailboxId mailbox,
                                                    const store::UidSet& uids, store::FlagOp op,
                                                    const store::Flags& flags,
                                                    std::optional<std::uint64_t> unchanged_since) {
  if (unchanged_since || op == store::FlagOp::replace) return ms.set_flags(mailbox, uids, op, flags, unchanged_since);
  // The narrow flag index (no message rows): a few microseconds against a queue position at the writer.
  auto current = ms.fetch_flags(mailbox, uids, 0);
  // No rows (the set was expunged, or the mailbox deleted): the store's answer, whatever it is, is the one to give.
  if (!current || current->empty()) return ms.set_flags(mailbox, uids, op, flags, unchanged_since);
  for (const auto& r : *current)
    if (!flag_op_is_noop(r.flags, op, flags)) return ms.set_flags(mailbox, uids, op, flags, unchanged_since);
  // Nothing to change: the same answer the store gives for such a STORE (writes no MODSEQ, publishes nothing).
  // A concurrent change by another session is ordered after this STORE, as if it had committed later.
  store::SetFlagsResult out;
  out.updated.reserve(current->size());
  for (auto& r : *current) {
    store::FlagUpdate u;
    u.uid = r.uid;
    u.flags = std::move(r.flags);
    u.modseq = r.modseq;
    u.changed = false;
    out.updated.push_back(std::move(u));
  }
  return out;
}

}  // namespace claret::imap::server
