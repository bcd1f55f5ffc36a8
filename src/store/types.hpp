// Value types shared by every store interface: ids, flags (RFC 9051 §2.3.2), message metadata, mailboxes, changes.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace claret::store {

using AccountId = int64_t;
using MailboxId = int64_t;

// Opaque: differs whenever anything was committed to the store in between, by any process (MailStore::commit_stamp).
struct CommitStamp {
  std::array<uint32_t, 12> words{};
  friend bool operator==(const CommitStamp&, const CommitStamp&) = default;
};

// IMAP system flags as a bit set; \Recent is session state and is not stored.
namespace flag {
constexpr uint32_t kSeen = 1;
constexpr uint32_t kAnswered = 2;
constexpr uint32_t kFlagged = 4;
constexpr uint32_t kDeleted = 8;
constexpr uint32_t kDraft = 16;
constexpr uint32_t kAll = 31;
}  // namespace flag

// System flags plus keywords. Keywords compare case-insensitively (RFC 9051 §2.3.2); the store keeps
// them de-duplicated and sorted by their lower-case form, spelled as first given.
struct Flags {
  uint32_t system = 0;
  std::vector<std::string> keywords;
  bool operator==(const Flags&) const = default;
};

// Everything the MIME layer computes once at delivery; the store keeps it verbatim (DESIGN.md §3 "parse once").
struct MessageMeta {
  std::string envelope;        // IMAP ENVELOPE, serialised
  std::string body_structure;  // extended BODYSTRUCTURE
  std::string body;            // non-extended BODY
  std::string part_map;        // opaque bytes: part offsets for BODY[1.2]
  std::string preview;
  std::string search_text;     // what TEXT/BODY search matches (full-text indexed)
  std::string subject;         // base subject (RFC 5256 §2.1)
  std::string from_addr;
  std::string from_name;
  std::string to_addr;
  std::string cc_addr;
  std::string message_id;
  std::string in_reply_to;
  std::string references;      // space-separated message ids
  int64_t sent_date = 0;       // unix seconds
  bool has_attachments = false;
  bool operator==(const MessageMeta&) const = default;
};

// Parts of MessageMeta, for MailStore::fetch_meta.
namespace meta_part {
constexpr uint32_t kEnvelope = 1;
constexpr uint32_t kBodyStructure = 2;
constexpr uint32_t kBody = 4;
constexpr uint32_t kPartMap = 8;
constexpr uint32_t kPreview = 16;
constexpr uint32_t kSearchText = 32;
// subject, from_addr, from_name, to_addr, cc_addr, message_id, in_reply_to, references, sent_date, has_attachments
constexpr uint32_t kSortFields = 64;
constexpr uint32_t kAll = 127;
}  // namespace meta_part

// Special-use attributes (RFC 6154) a mailbox may carry; spelled as on the wire.
namespace special_use {
constexpr const char* kDrafts = "\\Drafts";
constexpr const char* kSent = "\\Sent";
constexpr const char* kTrash = "\\Trash";
constexpr const char* kJunk = "\\Junk";
constexpr const char* kArchive = "\\Archive";
constexpr const char* kAll = "\\All";
constexpr const char* kFlagged = "\\Flagged";
}  // namespace special_use

struct MailboxInfo {
  MailboxId id = 0;
  std::string name;  // UTF-8, hierarchy separator '/', "INBOX" always spelled upper case
  uint32_t uidvalidity = 0;
  uint32_t uidnext = 1;
  uint64_t highestmodseq = 0;
  std::string special_use;  // "" or one of special_use::k*
  bool subscribed = false;
  // \Noselect (RFC 9051 §6.3.5): a deleted mailbox kept only because it has children; holds no messages.
  bool noselect = false;
};

// STATUS items (RFC 9051 §6.3.11, RFC 7162 §3.1.1).
struct MailboxStatus {
  uint32_t messages = 0;
  uint32_t uidnext = 1;
  uint32_t uidvalidity = 0;
  uint32_t unseen = 0;
  uint64_t size = 0;
  uint64_t highestmodseq = 0;
  // IMAP \Recent (RFC 3501 §2.3.2): messages with uid >= first_recent_uid were announced to no session yet.
  uint32_t first_recent_uid = 1;
  uint32_t recent = 0;  // how many of them there are (STATUS RECENT)
};

// What MailStore::claim_recent handed to one session: the uids in [from, to) are \Recent for it alone.
struct RecentClaim {
  uint32_t from = 1;
  uint32_t to = 1;
};

// One stored message as FETCH needs it, without touching the blob.
struct MessageRecord {
  uint32_t uid = 0;
  uint64_t modseq = 0;
  Flags flags;
  int64_t internaldate = 0;  // unix seconds
  uint64_t size = 0;
  std::string blob_id;
  int64_t thread_id = 0;
  int64_t savedate = 0;  // unix seconds: when the message was saved in this mailbox (RFC 8514)
  MessageMeta meta;
};

// One message's flags and modseq: what a flag listing (FETCH 1:* (UID FLAGS), CONDSTORE CHANGEDSINCE) needs,
// read from a covering index without the message row (MailStore::fetch_flags).
struct FlagRecord {
  uint32_t uid = 0;
  uint64_t modseq = 0;
  Flags flags;
};

// What a committed mutation changed; published on the ChangeBus after commit, in commit order.
struct Change {
  enum class Kind {
    message_added, flags_changed, expunged, mailbox_created, mailbox_deleted, mailbox_renamed,
    subscription_changed,  // SUBSCRIBE/UNSUBSCRIBE (IMAP NOTIFY SubscriptionChange, RFC 5465 §5.5)
  };
  Kind kind = Kind::message_added;
  MailboxId mailbox = 0;
  std::string mailbox_name;      // current name (new name for a rename)
  std::string old_name;          // mailbox_renamed only
  std::vector<uint32_t> uids;    // message_added / flags_changed: one uid; expunged: all uids
  Flags flags;                   // flags_changed and message_added
  uint64_t modseq = 0;           // the mailbox HIGHESTMODSEQ after the change
  bool subscribed = false;       // subscription_changed: the new state
};

}  // namespace claret::store
