// The maildrop of one POP3 session: the INBOX snapshot taken at login, with stable message numbers, deletion marks
// applied only in the UPDATE state, and unique-ids derived from (UIDVALIDITY, UID) (RFC 1939 §5, §6, §7 UIDL).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "store/mail_store.hpp"

namespace claret::pop3::server {

struct MaildropMessage {
  std::uint32_t uid = 0;
  std::uint64_t size = 0;  // octets as stored (CRLF line endings), before byte-stuffing
  std::string blob_id;
  bool deleted = false;    // DELE in this session; undone by RSET
  bool retrieved = false;  // RETR in this session: flagged \Seen at QUIT
};

// What QUIT changed in the store.
struct UpdateOutcome {
  std::size_t expunged = 0;  // messages removed (those already gone, e.g. expunged over IMAP, are not counted)
  std::size_t remaining = 0; // messages left in INBOX after the update
};

class Maildrop {
 public:
  Maildrop() = default;
  Maildrop(store::MailboxId mailbox, std::uint32_t uidvalidity, std::vector<MaildropMessage> messages);

  store::MailboxId mailbox() const { return mailbox_; }
  // Highest message number (deleted messages keep their numbers until the session ends).
  std::uint64_t count() const { return messages_.size(); }
  // Message number `n` (1-based) or nullptr when n is 0 or past the end; deleted messages are returned.
  const MaildropMessage* find(std::uint64_t n) const;
  // Non-deleted messages and their total size (STAT, RFC 1939 §5).
  std::uint64_t live_count() const;
  std::uint64_t live_size() const;

  // False when n does not name a message or it is already deleted.
  bool mark_deleted(std::uint64_t n);
  void mark_retrieved(std::uint64_t n);
  // RSET: every deletion mark is removed (retrieval marks stay: the client did read those messages).
  void reset();

  store::UidSet deleted_uids() const;
  store::UidSet seen_uids() const;  // retrieved and not deleted

  // "<uidvalidity>.<uid>" in decimal: the pair identifies a message in IMAP forever (RFC 9051 §2.3.1.1), so the
  // POP3 unique-id is stable across sessions and names the same message as IMAP does. At most 21 characters
  // of 0x21-0x7E, as RFC 1939 §7 requires (1-70).
  std::string unique_id(const MaildropMessage& m) const;

 private:
  store::MailboxId mailbox_ = 0;
  std::uint32_t uidvalidity_ = 0;
  std::vector<MaildropMessage> messages_;
};

// Blocking (run offloaded): snapshots the account's INBOX, messages in uid order.
Result<Maildrop> load_maildrop(store::MailStore& mail);
// Blocking (run offloaded): the UPDATE state (RFC 1939 §6). Flags retrieved messages \Seen, then expunges the
// deleted ones in one transaction, so either all of them go or none. Messages another session expunged meanwhile
// are skipped without error.
Result<UpdateOutcome> apply_update(store::MailStore& mail, const Maildrop& drop);

}  // namespace claret::pop3::server
