// SelectedMailbox: sequence numbers ↔ UIDs and catching up with the store (RFC 9051 §2.3.1.2, §7.5.1).
#include "imap/server/selected_mailbox.hpp"

#include <algorithm>
#include <functional>

namespace claret::imap::server {

SelectedMailbox::SelectedMailbox(store::MailboxInfo info, bool read_only, std::vector<std::uint32_t> uids)
    : info_(std::move(info)), read_only_(read_only), own_(std::move(uids)) {
  // The store lists UIDs strictly ascending: check that in one pass instead of sorting and de-duplicating 100,000
  // of them again.
  if (std::adjacent_find(own_.begin(), own_.end(), std::greater_equal<std::uint32_t>()) != own_.end()) {
    std::sort(own_.begin(), own_.end());
    own_.erase(std::unique(own_.begin(), own_.end()), own_.end());
  }
}

SelectedMailbox::SelectedMailbox(store::MailboxInfo info, bool read_only, UidSnapshot shared)
    : info_(std::move(info)), read_only_(read_only), shared_(std::move(shared)) {
  if (!shared_) shared_ = std::make_shared<const std::vector<std::uint32_t>>();
}

std::vector<std::uint32_t>& SelectedMailbox::own() {
  if (shared_) {
    own_.assign(shared_->begin(), shared_->end());
    shared_.reset();
  }
  return own_;
}

void SelectedMailbox::detach() { own(); }

std::optional<std::uint32_t> SelectedMailbox::seq_of(std::uint32_t uid) const {
  const auto& v = uids();
  auto it = std::lower_bound(v.begin(), v.end(), uid);
  if (it == v.end() || *it != uid) return std::nullopt;
  return static_cast<std::uint32_t>(it - v.begin()) + 1;
}

store::UidSet SelectedMailbox::uids_for_sequence(const proto::SequenceSet& set, bool& out_of_range) const {
  store::UidSet out;
  out_of_range = false;
  const auto& v = uids();
  for (const auto& r : set.resolve(count())) {
    std::uint32_t first = r.first;
    std::uint32_t last = r.last;
    if (last > count()) {
      out_of_range = true;
      last = count();
    }
    if (first == 0) first = 1;
    if (first > last) continue;
    if (v[last - 1] - v[first - 1] == last - first) {  // no gap: one range (the UIDs are ascending and distinct)
      out.add(v[first - 1], v[last - 1]);
      continue;
    }
    // Consecutive numbers map to ascending UIDs; add them one run at a time so "1:100000" stays cheap.
    std::uint32_t run_start = v[first - 1];
    std::uint32_t prev = run_start;
    for (std::uint32_t seq = first + 1; seq <= last; ++seq) {
      std::uint32_t uid = v[seq - 1];
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
  const auto& v = uids();
  if (v.empty()) return out;
  for (const auto& r : set.resolve(max_uid())) {
    auto lo = std::lower_bound(v.begin(), v.end(), r.first);
    auto hi = std::upper_bound(v.begin(), v.end(), r.last);
    if (lo >= hi) continue;
    // No gap in [lo, hi) (ascending and distinct, so the ends tell): one range, not a walk of 100,000 UIDs.
    if (*(hi - 1) - *lo == static_cast<std::uint32_t>(hi - lo - 1)) {
      out.add(*lo, *(hi - 1));
      continue;
    }
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
  std::vector<std::uint32_t>* list = nullptr;  // copied from a shared snapshot only when something is removed
  // From the highest down: removing a later message does not renumber the earlier ones, so every number sent
  // is valid at the moment it is sent.
  for (auto it = sorted.rbegin(); it != sorted.rend(); ++it) {
    auto seq = seq_of(*it);
    if (!seq) continue;
    seqs.push_back(*seq);
    if (!list) list = &own();
    list->erase(list->begin() + (*seq - 1));
  }
  return seqs;
}

ViewUpdate SelectedMailbox::catch_up(const std::vector<std::uint32_t>& current, bool allow_expunge) {
  ViewUpdate update;
  if (allow_expunge) {
    std::vector<std::uint32_t> gone;
    const auto& v = uids();
    std::set_difference(v.begin(), v.end(), current.begin(), current.end(), std::back_inserter(gone));
    if (!gone.empty()) update.expunged_seqs = remove(gone);
    update.expunged_uids = std::move(gone);
  }
  const std::uint32_t known_max = max_uid();
  auto fresh = std::upper_bound(current.begin(), current.end(), known_max);
  if (fresh != current.end()) {
    std::vector<std::uint32_t>& list = own();
    list.insert(list.end(), fresh, current.end());
    update.exists = count();
  }
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
  const auto& v = uids();
  for (const auto& r : recent_) {
    auto it = std::lower_bound(v.begin(), v.end(), r.from);
    for (; it != v.end() && *it < r.to; ++it) out.push_back(*it);
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());  // EXAMINE's looks may overlap
  return out;
}

}  // namespace claret::imap::server
