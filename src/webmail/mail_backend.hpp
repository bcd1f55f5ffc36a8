// The seam between the webmail's HTTP/JSON layer and machine A: what the web server needs from "a mail
// account reached over IMAP + SMTP submission". The HTTP side (api_*.cpp) only sees these types; the real
// implementation (imap_backend.*) is built on imap/client and smtp/client, and tests may use a fake.
// The webmail never links the store (DESIGN.md §2): everything here travels over IMAP/SMTP.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"

namespace claret::webmail {

template <typename T>
using Task = boost::asio::awaitable<T>;

struct Address {
  std::string name;   // display name, decoded to UTF-8 (RFC 2047)
  std::string email;  // addr-spec; may be UTF-8 (RFC 6532)
};

struct Folder {
  std::string name;         // full name in UTF-8 (decoded from modified UTF-7 when the server needs it)
  std::string parent;       // full name of the parent folder, empty at top level
  std::string special_use;  // "\\Sent", "\\Drafts", "\\Trash", "\\Junk", "\\Archive", … or empty; INBOX is "inbox"
  char delimiter = '/';
  bool selectable = true;
  bool subscribed = true;
  uint32_t messages = 0;
  uint32_t unseen = 0;
};

struct MessageSummary {
  uint32_t uid = 0;
  std::vector<std::string> flags;  // wire spelling: "\\Seen", "\\Flagged", "$Forwarded", …
  int64_t date = 0;                // Date: header (unix seconds), INTERNALDATE when missing or unparseable
  int64_t received = 0;            // INTERNALDATE
  uint64_t size = 0;               // RFC822.SIZE
  std::string subject;             // decoded
  std::vector<Address> from, to, cc;
  std::string message_id, in_reply_to;
  std::string preview;             // PREVIEW (RFC 8970) when the server has it, else empty
  bool has_attachments = false;    // from BODYSTRUCTURE: any part with a filename or disposition attachment
  uint32_t thread_size = 1;        // number of messages in its conversation (threaded lists only)
  uint32_t thread_root = 0;        // uid of the conversation's first message (threaded lists only)
};

enum class SortOrder { date_desc, date_asc, from_asc, subject_asc, size_desc };

struct ListQuery {
  std::string folder;
  uint32_t offset = 0;             // position in the sorted result
  uint32_t limit = 50;
  SortOrder sort = SortOrder::date_desc;
  std::string search;              // free text: IMAP SEARCH TEXT (server-side); empty = all
  bool unseen_only = false;
  bool flagged_only = false;
  bool threaded = false;           // one row per conversation (THREAD=REFERENCES when offered)
};

struct MessagePage {
  uint32_t total = 0;              // matching messages (or conversations when threaded)
  uint32_t uidvalidity = 0;
  std::vector<MessageSummary> messages;
};

struct Part {
  std::string section;             // IMAP section number, "1.2"
  std::string content_type;        // lower-case "type/subtype"
  std::string charset;
  std::string filename;            // decoded (RFC 2231 / RFC 2047)
  std::string disposition;         // "inline", "attachment" or empty
  std::string content_id;          // without angle brackets
  uint64_t size = 0;               // encoded size from BODYSTRUCTURE
};

struct MessageView {
  MessageSummary summary;
  std::vector<Address> reply_to, bcc;
  std::string references;          // raw References: header
  std::string text;                // the text/plain alternative, decoded to UTF-8 (empty if none)
  std::string html;                // the text/html alternative, decoded to UTF-8, NOT sanitised (the caller does it)
  std::vector<Part> attachments;   // every part that is not the displayed body, including inline images
};

// A range of a part's decoded content (BINARY[section]<offset.length>, RFC 3516, or decoded BODY[section]).
struct PartChunk {
  std::string bytes;
  bool eof = false;
};

enum class FlagChange { add, remove };

// Something changed in the watched folder (from IDLE): the browser re-fetches what it shows.
struct FolderEvent {
  std::string folder;
  uint32_t exists = 0;             // message count after the change
  bool expunged = false;
  bool flags_changed = false;
};

struct Submission {
  std::string mail_from;               // envelope sender (the user's address)
  std::vector<std::string> recipients; // envelope recipients (To + Cc + Bcc)
  std::string message;                 // RFC 5322 message, CRLF line ends, Bcc already removed
};

// One logged-in user. Methods may be called concurrently by several HTTP requests of the same user; the
// implementation serialises commands per IMAP connection (and may keep a small pool). A failure of machine A
// comes back as an Error whose message is safe to show to the user (never the password).
class MailSession {
 public:
  virtual ~MailSession() = default;

  virtual const std::string& username() const = 0;
  // The addresses the user may send as (at least the login name when it is an address).
  virtual std::vector<std::string> identities() const = 0;

  virtual Task<Result<std::vector<Folder>>> folders() = 0;
  virtual Task<Status> create_folder(std::string name) = 0;
  virtual Task<Status> rename_folder(std::string from, std::string to) = 0;
  virtual Task<Status> delete_folder(std::string name) = 0;

  virtual Task<Result<MessagePage>> list(ListQuery query) = 0;
  virtual Task<Result<MessageView>> message(std::string folder, uint32_t uid) = 0;
  // The conversation `uid` belongs to (THREAD=REFERENCES when offered, else References/In-Reply-To/subject
  // matching done by the implementation), oldest first, including `uid` itself.
  virtual Task<Result<std::vector<MessageSummary>>> thread(std::string folder, uint32_t uid) = 0;
  // The whole message as stored (for "view source" and .eml download).
  virtual Task<Result<std::string>> raw(std::string folder, uint32_t uid) = 0;
  // Decoded content of one part from `offset`, at most `max_bytes`; callers loop until eof to stream.
  virtual Task<Result<PartChunk>> part(std::string folder, uint32_t uid, std::string section, uint64_t offset,
                                       uint64_t max_bytes) = 0;

  virtual Task<Status> set_flags(std::string folder, std::vector<uint32_t> uids, FlagChange change,
                                 std::vector<std::string> flags) = 0;
  virtual Task<Status> copy(std::string folder, std::vector<uint32_t> uids, std::string to) = 0;
  virtual Task<Status> move(std::string folder, std::vector<uint32_t> uids, std::string to) = 0;
  // \Deleted + UID EXPUNGE of exactly these uids (UIDPLUS) — used for Trash and draft replacement.
  virtual Task<Status> expunge(std::string folder, std::vector<uint32_t> uids) = 0;
  // APPEND; returns the new uid when the server reports APPENDUID, else 0.
  virtual Task<Result<uint32_t>> append(std::string folder, std::string message, std::vector<std::string> flags) = 0;

  // SMTP submission with the user's credentials (AUTH over TLS).
  virtual Task<Status> send(Submission submission) = 0;

  // Waits (IDLE) until something changes in `folder` or `timeout` passes (then returns nullopt).
  virtual Task<Result<std::optional<FolderEvent>>> wait_for_change(std::string folder,
                                                                   std::chrono::milliseconds timeout) = 0;

  // LOGOUT on every connection; the object may be destroyed afterwards.
  virtual Task<void> logout() = 0;
};

class MailBackend {
 public:
  virtual ~MailBackend() = default;
  // Logs in to IMAP (and checks nothing else); a wrong password is Error{kAuthFailed, …}.
  virtual Task<Result<std::unique_ptr<MailSession>>> login(std::string username, std::string password) = 0;
};

inline constexpr int kAuthFailed = 401;
inline constexpr int kNotFound = 404;
inline constexpr int kUnavailable = 503;

}  // namespace claret::webmail
