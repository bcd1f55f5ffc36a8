// SelectMemo: SELECT snapshots valid until the next commit (select_memo.hpp says why).
#include "store/sqlite/select_memo.hpp"

namespace claret::store::sqlite {

std::string SelectMemo::key(AccountId account, const std::string& name) {
  std::string k = std::to_string(account);
  k.push_back('\0');  // a mailbox name never holds NUL, so account 1 + "2x" differs from account 12 + "x"
  k += name;
  return k;
}

void SelectMemo::put(AccountId account, const std::string& name, const SelectSnapshot& snap,
                     const WalProbe::Stamp& stamp) {
  std::lock_guard lock(mu_);
  // Stale entries go when looked up; a full memo (every entry of some busy past) starts over rather than tracking age.
  if (entries_.size() >= max_entries_) entries_.clear();
  entries_[key(account, name)] = Entry{snap.info, snap.listing, snap.first_recent_uid, stamp};
}

std::optional<SelectSnapshot> SelectMemo::get(AccountId account, const std::string& name,
                                              const WalProbe::Stamp& now) {
  std::lock_guard lock(mu_);
  auto it = entries_.find(key(account, name));
  if (it == entries_.end()) return std::nullopt;
  if (it->second.stamp != now) {
    entries_.erase(it);
    return std::nullopt;
  }
  auto listing = it->second.listing.lock();
  if (!listing) {
    entries_.erase(it);
    return std::nullopt;
  }
  SelectSnapshot out;
  out.info = it->second.info;
  out.listing = std::move(listing);
  out.first_recent_uid = it->second.first_recent_uid;
  return out;
}

}  // namespace claret::store::sqlite
