// ImapClient: one IMAP4rev1/rev2 client connection (RFC 3501, RFC 9051) over io::Connection — implicit TLS
// (RFC 8314) or STARTTLS, LOGIN / AUTHENTICATE PLAIN (RFC 4616, SASL-IR RFC 4959), and the commands the webmail
// needs. One command at a time (no pipelining); callers serialise access. Untagged responses received while a
// command runs are returned with its result.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "imap/client/command.hpp"
#include "imap/client/fetch.hpp"
#include "imap/client/mailbox_data.hpp"
#include "imap/client/response.hpp"

namespace claret::tls {
class TlsContext;
}
namespace claret::io {
class Connection;
}

namespace claret::imap::client {

// Error codes of this library (Error::code).
inline constexpr int kConnectionFailed = 1;  // could not connect, TLS failed, connection lost, timeout
inline constexpr int kRefused = 2;           // tagged NO
inline constexpr int kBadCommand = 3;        // tagged BAD
inline constexpr int kProtocolError = 4;     // unparseable or unexpected server response
inline constexpr int kAuthenticationFailed = 5;
inline constexpr int kNonexistent = 6;       // tagged NO [NONEXISTENT] or [TRYCREATE]: no such mailbox
inline constexpr int kTooLarge = 7;          // over the server's APPENDLIMIT (RFC 7889), or NO [TOOBIG]

enum class Security { implicit_tls, starttls, plaintext };

struct ClientOptions {
  std::string host;
  std::uint16_t port = 993;
  Security security = Security::implicit_tls;
  std::shared_ptr<tls::TlsContext> tls;  // client context; required unless plaintext
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds command_timeout = std::chrono::seconds(60);
};

struct CommandResult {
  RespStatus status = RespStatus::none;
  ResponseCode code;
  std::string text;
  std::vector<Response> untagged;
};

struct SelectInfo {
  std::uint32_t exists = 0;
  std::uint32_t uidvalidity = 0;
  std::uint32_t uidnext = 0;
  std::uint64_t highestmodseq = 0;
  std::vector<std::string> flags;
  bool read_only = false;
};

// What this connection has been told about its selected mailbox, kept current from every response. With
// CONDSTORE enabled at SELECT (RFC 7162 §3.1.8) every flag change comes with its MODSEQ (§3.1.4), so `version`
// moves on each change the server reported (new mail, expunge, flags, by anyone); `version` also moves on every
// SELECT. Equal versions of one client mean the server reported no change in between.
struct MailboxView {
  std::uint32_t exists = 0;
  std::uint64_t highestmodseq = 0;
  bool condstore = false;  // SELECT (CONDSTORE) answered with a HIGHESTMODSEQ (not NOMODSEQ)
  std::uint64_t version = 0;
};

struct MailboxInfo {
  ListEntry entry;
  std::optional<StatusData> status;  // when LIST-STATUS was used
  bool subscribed = false;
};

class ImapClient {
 public:
  static boost::asio::awaitable<Result<std::unique_ptr<ImapClient>>> connect(ClientOptions options);
  ~ImapClient();

  // Runs one command; a NO or BAD is not an error here (inspect status). Errors: connection and protocol.
  boost::asio::awaitable<Result<CommandResult>> run(const Command& command);

  // The commands below turn NO/BAD into Error{kRefused/kBadCommand, server text}.
  boost::asio::awaitable<Status> login(std::string user, std::string password);  // AUTHENTICATE PLAIN if offered
  boost::asio::awaitable<Status> refresh_capabilities();
  boost::asio::awaitable<Result<std::vector<MailboxInfo>>> list();  // all mailboxes, with status when possible
  // `condstore`: SELECT … (CONDSTORE) when the server offers it, so view() tracks every change (see MailboxView).
  boost::asio::awaitable<Result<SelectInfo>> select(std::string mailbox, bool read_only = false,
                                                    bool condstore = false);
  boost::asio::awaitable<Result<std::vector<FetchData>>> uid_fetch(std::string uid_set, std::string items);
  // `criteria`: search keys after "UID SEARCH [CHARSET UTF-8]". Result in ascending uid order.
  boost::asio::awaitable<Result<std::vector<std::uint32_t>>> uid_search(Command criteria);
  // `sort_keys` e.g. "(REVERSE DATE)"; needs the SORT capability.
  boost::asio::awaitable<Result<std::vector<std::uint32_t>>> uid_sort(std::string sort_keys, Command criteria);
  // THREAD=<algorithm>; needs that capability.
  boost::asio::awaitable<Result<std::vector<ThreadNode>>> uid_thread(std::string algorithm, Command criteria);
  boost::asio::awaitable<Status> uid_store(std::string uid_set, std::string action, std::vector<std::string> flags);
  boost::asio::awaitable<Result<std::optional<CopyUid>>> uid_copy(std::string uid_set, std::string to);
  // UID MOVE (RFC 6851), or COPY + STORE \Deleted + UID EXPUNGE (UIDPLUS) / EXPUNGE.
  boost::asio::awaitable<Status> uid_move(std::string uid_set, std::string to);
  boost::asio::awaitable<Status> uid_expunge(std::string uid_set);
  boost::asio::awaitable<Result<std::optional<AppendUid>>> append(std::string mailbox, std::vector<std::string> flags,
                                                                  std::string message);
  boost::asio::awaitable<Status> create(std::string mailbox);
  boost::asio::awaitable<Status> rename(std::string from, std::string to);
  boost::asio::awaitable<Status> remove(std::string mailbox);  // DELETE
  boost::asio::awaitable<Status> subscribe(std::string mailbox, bool subscribe = true);
  boost::asio::awaitable<Status> noop();
  // Leaves the selected mailbox without expunging: UNSELECT (RFC 3691), else a failing EXAMINE (RFC 3501 §6.3.1).
  boost::asio::awaitable<Status> unselect();
  // IDLE (RFC 2177) until the server reports something or `timeout` passes; returns what it sent (empty on
  // timeout). Falls back to one NOOP when IDLE is not offered.
  boost::asio::awaitable<Result<std::vector<Response>>> idle(std::chrono::milliseconds timeout);
  boost::asio::awaitable<void> logout();

  bool has_capability(std::string_view cap) const;  // case-insensitive; "SORT", "THREAD=REFERENCES"
  // The server-wide APPENDLIMIT=N (RFC 7889 §2), if it announced one.
  std::optional<std::uint64_t> append_limit() const;
  const std::vector<std::string>& capabilities() const { return caps_; }
  bool usable() const { return usable_; }
  bool utf8_accept() const { return utf8_accept_; }
  const std::string& selected() const { return selected_; }
  const MailboxView& view() const { return view_; }

 private:
  ImapClient(std::unique_ptr<io::Connection> conn, ClientOptions options);
  boost::asio::awaitable<Result<Response>> read_response();
  boost::asio::awaitable<Status> greeting_and_tls();
  boost::asio::awaitable<Status> send_literal_and_wait(const std::string& bytes, bool synchronising,
                                                       CommandResult& collect);
  Status check(const CommandResult& r, std::string_view what) const;
  void note(const Response& r);

  std::unique_ptr<io::Connection> conn_;
  ClientOptions options_;
  std::vector<std::string> caps_;
  std::uint32_t next_tag_ = 1;
  bool usable_ = true;
  bool utf8_accept_ = false;
  std::string selected_;  // UTF-8 name of the selected mailbox, empty if none
  MailboxView view_;
};

}  // namespace claret::imap::client
