// POP3 maildrop snapshot, deletion marks and the UPDATE state (RFC 1939 §5-§7).
#include "pop3/server/maildrop.hpp"

#include <algorithm>

namespace claret::pop3::server {

Maildrop::Maildrop(store::MailboxId mailbox, std::uint32_t uidvalidity, std::vector<MaildropMessage> messages)
    : mailbox_(mailbox), uidvalidity_(uidvalidity), messages_(std::move(messages)) {}

const MaildropMessage* Maildrop::find(std::uint64_t n) const {
  if (n == 0 || n > messages_.size()) return nullptr;
  return &messages_[n - 1];
}

std::uint64_t Maildrop::live_count() const {
  return static_cast<std::uint64_t>(
      std::count_if(messages_.begin(), messages_.end(), [](const MaildropMessage& m) { return !m.deleted; }));
}

std::uint64_t Maildrop::live_size() const {
  std::uint64_t total = 0;
  for (const auto& m : messages_)
    if (!m.deleted) total += m.size;
  return total;
}

bool Maildrop::mark_deleted(std::uint64_t n) {
  if (n == 0 || n > messages_.size() || messages_[n - 1].deleted) return false;
  messages_[n - 1].deleted = true;
  return true;
}

void Maildrop::mark_retrieved(std::uint64_t n) {
  if (n >= 1 && n <= messages_.size()) messages_[n - 1].retrieved = true;
}

void Maildrop::reset() {
  for (auto& m : messages_) m.deleted = false;
}

store::UidSet Maildrop::deleted_uids() const {
  store::UidSet set;
  for (const auto& m : messages_)
    if (m.deleted) set.add(m.uid);
  return set;
}

store::UidSet Maildrop::seen_uids() const {
  store::UidSet set;
  for (const auto& m : messages_)
    if (m.retrieved && !m.deleted) set.add(m.uid);
  return set;
}

std::string Maildrop::unique_id(const MaildropMessage& m) const {
  return std::to_string(uidvalidity_) + "." + std::to_string(m.uid);
}

Result<Maildrop> load_maildrop(store::MailStore& mail) {
  auto box = mail.get_mailbox("INBOX");
  if (!box) return box.error();
  // Only uid, size and blob: the metadata columns are most of a row's bytes.
  auto records = mail.fetch_records(box->id, store::UidSet::all());
  if (!records) return records.error();
  std::vector<MaildropMessage> messages;
  messages.reserve(records->size());
  for (auto& r : *records) messages.push_back(MaildropMessage{r.uid, r.size, std::move(r.blob_id), false, false});
  std::sort(messages.begin(), messages.end(),
            [](const MaildropMessage& a, const MaildropMessage& b) { return a.uid < b.uid; });
  return Maildrop(box->id, box->uidvalidity, std::move(messages));
}

Result<UpdateOutcome> apply_update(store::MailStore& mail, const Maildrop& drop) {
  UpdateOutcome outcome;
  // Like Dovecot's POP3: what the client downloaded shows as read in IMAP. Done first, so a failing expunge
  // still leaves the flags right; a failure here is reported but does not stop the deletions the client asked for.
  Status seen_status;
  auto seen = drop.seen_uids();
  if (!seen.empty()) {
    auto flagged = mail.set_flags(drop.mailbox(), seen, store::FlagOp::add, store::Flags{store::flag::kSeen, {}},
                                  std::nullopt);
    if (!flagged) seen_status = flagged.error();
  }
  auto deleted = drop.deleted_uids();
  if (!deleted.empty()) {
    auto expunged = mail.expunge(drop.mailbox(), deleted);
    if (!expunged) return expunged.error();
    outcome.expunged = expunged->uids.size();
  }
  if (!seen_status) return seen_status.error();
  auto status = mail.status(drop.mailbox());
  if (!status) return status.error();
  outcome.remaining = status->messages;
  return outcome;
}

}  // namespace claret::pop3::server
