// Arguments of the mailbox commands: SELECT/EXAMINE (RFC 9051 §6.3.2-3, CONDSTORE RFC 7162 §3.1.8, QRESYNC
// §3.2.5), CREATE (CREATE-SPECIAL-USE RFC 6154 §3), DELETE, RENAME, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT, LIST
// (LIST-EXTENDED RFC 5258 §3, LIST-STATUS RFC 5819, SPECIAL-USE RFC 6154 §4), LSUB, STATUS (RFC 9051 §6.3.11,
// CONDSTORE, STATUS=SIZE RFC 8438, APPENDLIMIT RFC 7889, OBJECTID RFC 8474, QUOTA RFC 9208).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "imap/proto/parse_options.hpp"
#include "imap/proto/sequence_set.hpp"

namespace claret::imap::proto {

// Mailbox names in every struct are UTF-8 with INBOX normalised (mailbox_name.hpp); they are not yet
// validated for creation (validate_mailbox_name).

struct QresyncParams {
  std::uint32_t uidvalidity = 0;
  std::uint64_t modseq = 0;
  std::optional<SequenceSet> known_uids;
  std::optional<SequenceSet> known_sequence_set;  // seq-match-data: message numbers …
  std::optional<SequenceSet> known_uid_set;       // … and their UIDs
};

struct SelectArgs {
  std::string mailbox;
  bool condstore = false;
  std::optional<QresyncParams> qresync;
};

struct CreateArgs {
  std::string mailbox;
  std::vector<std::string> special_use;  // "\Drafts", … in canonical case
};

struct MailboxArgs {  // DELETE, SUBSCRIBE, UNSUBSCRIBE, GETQUOTAROOT
  std::string mailbox;
};

struct RenameArgs {
  std::string from;
  std::string to;
};

enum class StatusItem : std::uint8_t {
  messages, uidnext, uidvalidity, unseen, deleted, size, recent, highestmodseq, appendlimit, mailboxid,
  deleted_storage,  // RFC 9208 §4.2.4
};
std::string_view status_item_name(StatusItem item);

struct ListArgs {
  bool lsub = false;       // LSUB (RFC 3501 §6.3.9)
  bool extended = false;   // selection or return options were given (RFC 5258 §3)
  // Selection options.
  bool select_subscribed = false;
  bool select_remote = false;
  bool select_recursive_match = false;
  bool select_special_use = false;
  std::string reference;   // UTF-8
  std::vector<std::string> patterns;  // UTF-8, INBOX normalised; one unless the extended form "(p1 p2)" is used
  // Return options.
  bool return_subscribed = false;
  bool return_children = false;
  bool return_special_use = false;
  std::optional<std::vector<StatusItem>> return_status;  // LIST-STATUS
};

struct StatusArgs {
  std::string mailbox;
  std::vector<StatusItem> items;
};

Result<SelectArgs> parse_select(std::string_view args, const ParseOptions& opt);  // SELECT and EXAMINE
Result<CreateArgs> parse_create(std::string_view args, const ParseOptions& opt);
Result<MailboxArgs> parse_mailbox_only(std::string_view args, const ParseOptions& opt);
Result<RenameArgs> parse_rename(std::string_view args, const ParseOptions& opt);
Result<ListArgs> parse_list(std::string_view args, const ParseOptions& opt);
Result<ListArgs> parse_lsub(std::string_view args, const ParseOptions& opt);
Result<StatusArgs> parse_status(std::string_view args, const ParseOptions& opt);

// Shared by other parsers: astring → decoded UTF-8 name; fails the cursor on invalid modified UTF-7.
std::string read_mailbox(Cursor& c, const ParseOptions& opt);
std::vector<StatusItem> read_status_items(Cursor& c);

}  // namespace claret::imap::proto
