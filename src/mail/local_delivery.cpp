// Local delivery into the store (RFC 5321 §4.4 trace fields; one blob, many INBOXes).
#include "mail/local_delivery.hpp"

#include <map>

#include "mail/message_meta.hpp"
#include "mail/trace_headers.hpp"

namespace claret::mail {

Result<std::vector<RecipientOutcome>> deliver_local(store::Store& store, const LocalDelivery& d) {
  std::vector<RecipientOutcome> outcomes;
  outcomes.reserve(d.recipients.size());
  // recipient index → index into `targets`, for the recipients that resolved.
  std::vector<std::vector<size_t>> recipient_targets(d.recipients.size());
  std::vector<store::DeliveryTarget> targets;
  std::map<store::AccountId, size_t> target_of_account;
  for (size_t i = 0; i < d.recipients.size(); ++i) {
    outcomes.push_back({d.recipients[i], store::Delivered{}});
    Result<std::vector<store::AccountId>> accounts =
        i < d.resolved.size() && !d.resolved[i].empty() ? Result<std::vector<store::AccountId>>(d.resolved[i])
                              : store.directory().resolve_recipient(d.recipients[i]);
    if (!accounts) {
      outcomes[i].result = accounts.error();
      continue;
    }
    for (store::AccountId account : *accounts) {
      auto [it, inserted] = target_of_account.try_emplace(account, targets.size());
      if (inserted) targets.push_back(store::DeliveryTarget{account, "INBOX", {}});
      recipient_targets[i].push_back(it->second);
    }
  }
  if (targets.empty()) return outcomes;

  std::string bytes = return_path_header(d.reverse_path);
  bytes += d.trace;
  bytes.append(d.message.data(), d.message.size());
  auto blob = store.blobs().put(bytes);
  if (!blob) return blob.error();
  store::MessageMeta meta = compute_meta(bytes);
  auto delivered = store.deliver(*blob, targets, d.internaldate, meta);
  if (!delivered) return delivered.error();

  for (size_t i = 0; i < d.recipients.size(); ++i) {
    if (recipient_targets[i].empty()) continue;
    // A recipient that expands to several accounts (an alias) succeeds when every copy was stored; the
    // first failure is reported otherwise, so the sender learns of it.
    for (size_t t : recipient_targets[i]) {
      const auto& r = (*delivered)[t];
      if (!r || t == recipient_targets[i].front()) outcomes[i].result = r;
      if (!r) break;
    }
  }
  return outcomes;
}

}  // namespace claret::mail
