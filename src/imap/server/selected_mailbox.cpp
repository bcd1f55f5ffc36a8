// SelectedMailbox: sequence numbers ↔ UIDs and catching up with the store (RFC 9051 §2.3.1.2, §7.5.1).
#include "imap/server/selected_mailbox.hpp"

#include <algorithm>
#include <functional>

namespace claret::imap::server {

SelectedMailbox::SelectedMailbox(store::MailboxInfo info, bool read_only, std::vector<std::uint32_t> uids)
    : info_(std::move(info)), read_only_(read_only), uids_(std::move(uids)) {
  // The store lists UIDs strictly ascending: check that in one pass instead of sorting and de-duplicating 100,000
  // of them again.
  if (std::adjacent_find(uids_.begin(), uids_.end(), std::greater_equal<std::uint32_t>()) != uids_.end()) {
    std::sort(uids_.begin(), uids_.end());
    uids_.erase(std::unique(uids_.begin(), uids_.end()), uids_.end());
  }
}

std::optional<std::uint32_t> SelectedMailbox::seq_of(std::uint32_t uid) const {
  auto it = std::lower_bound(uids_.begin(), uids_.end(), uid);
  if (it == uids_.end() || *it != uid) return std::nullopt;
  return static_cast<std::uint32_t>(it - uids_.begin()) + 1;
}

store::UidSet SelectedMailbox::uids_for_sequence(const proto::SequenceSet& set, bool& out_of_range) const {
  store::UidSet out;
  out_of_range = false;
  for (const auto& r : set.resolve(count())) {
    std::uint32_t first = r.first;
    std::uint32_t last = r.last;
    if (last > count()) {
      out_of_range = true;
      last = count();
    }
    if (first == 0) first = 1;
    if (first > last) continue;
    // Consecutive numbers map to ascending UIDs; add them one run at a time so "1:100000" stays cheap.
    std::uint32_t run_start = uids_[first - 1];
    std::uint32_t prev = run_start;
    for (std::uint32_t seq = first + 1; seq <= last; ++seq) {
      std::uint32_t uid = uids_[seq - 1];
      if (uid != prev + 1) {
        out.add(run_start, prev);
        run_start = uid;
      }
      prev = uid;
    }
    out.add(run_start, prev);
  }
  return out;
}

store::UidSet SelectedMailbox::uids_for_uid_set(const proto::SequenceSet& set) const {
  store::UidSet out;
  if (uids_.empty()) return out;
  for (const auto& r : set.resolve(max_uid())) {
    auto lo = std::lower_bound(uids_.begin(), uids_.end(), r.first);
    auto hi = std::upper_bound(uids_.begin(), uids_.end(), r.last);
    if (lo >= hi) continue;
    // Add the present UIDs as runs, so gaps left by expunged messages are not included.
    std::uint32_t run_start = *lo;
    std::uint32_t prev = *lo;
    for (auto it = lo + 1; it != hi; ++it) {
      if (*it != prev + 1) {
        out.add(run_start, prev);
        run_start = *it;
      }
      prev = *it;
    }
    out.add(run_start, prev);
  }
  return out;
}

std::vector<std::uint32_t> SelectedMailbox::remove(const std::vector<std::uint32_t>& expunged_uids) {
  std::vector<std::uint32_t> sorted = expunged_uids;
  std::sort(sorted.begin(), sorted.end());
  std::vector<std::uint32_t> seqs;
  // From the highest down: removing a later message does not renumber the earlier ones, so every number sent
  // is valid at the moment it is sent.
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
    auto seq = seq_of(*it);
    if (!seq) continue;
    seqs.push_back(*seq);
    uids_.erase(uids_.begin() + (*seq - 1));
  }
  return seqs;
}

ViewUpdate SelectedMailbox::catch_up(const std::vector<std::uint32_t>& current, bool allow_expunge) {
  ViewUpdate update;
  if (allow_expunge) {
    std::vector<std::uint32_t> gone;
    std::set_difference(uids_.begin(), uids_.end(), current.begin(), current.end(), std::back_inserter(gone));
    if (!gone.empty()) update.expunged_seqs = remove(gone);
    update.expunged_uids = std::move(gone);
  }
  const std::uint32_t known_max = max_uid();
  const std::size_t before = uids_.size();
  for (auto it = std::upper_bound(current.begin(), current.end(), known_max); it != current.end(); ++it)
    uids_.push_back(*it);
  if (uids_.size() != before) update.exists = count();
  return update;
}

void SelectedMailbox::add_recent(store::RecentClaim claim) {
  if (claim.from >= claim.to) return;
  if (!recent_.empty() && recent_.back().to == claim.from) recent_.back().to = claim.to;  // the usual case
  else recent_.push_back(claim);
}

bool SelectedMailbox::is_recent(std::uint32_t uid) const {
  for (const auto& r : recent_)
    if (uid >= r.from && uid < r.to) return true;
  return false;
}

std::vector<std::uint32_t> SelectedMailbox::recent_uids() const {
  std::vector<std::uint32_t> out;
  for (const auto& r : recent_) {
    auto it = std::lower_bound(uids_.begin(), uids_.end(), r.from);
    for (; it != uids_.end() && *it < r.to; ++it) out.push_back(*it);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());  // EXAMINE's looks may overlap
  return out;
}

}  // namespace claret::imap::server
