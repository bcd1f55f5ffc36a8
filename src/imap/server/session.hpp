// IMAP session state shared by the command handlers: connection state (RFC 9051 §3), the receiver, the
// selected mailbox, enabled extensions, and the helpers that queue responses.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <boost/asio/awaitable.hpp>

#include "imap/proto/command.hpp"
#include "imap/proto/receiver.hpp"
#include "imap/proto/response.hpp"
#include "imap/server/change_feed.hpp"
#include "imap/server/notify_filter.hpp"
#include "imap/server/selected_mailbox.hpp"
#include "imap/server/server.hpp"
#include "io/connection.hpp"
#include "io/server.hpp"
#include "store/mail_store.hpp"

namespace claret::imap::server {

enum class State : std::uint8_t { not_authenticated, authenticated, selected, logout };

class Session {
 public:
  Session(Services& services, io::Connection& conn, io::SessionContext& ctx);

  Services& services() { return services_; }
  const config::Config& config() const { return services_.config; }
  io::Connection& conn() { return conn_; }
  std::uint64_t cid() const { return ctx_.connection_id; }
  std::string peer() const { return conn_.peer_address(); }
  // How long the next command must wait for its address's command rate (auth::CommandRate): almost always zero.
  std::chrono::milliseconds command_pace() {
    auth::CommandRate* rate = services_.command_rate;
    if (rate == nullptr || !rate->enabled()) return std::chrono::milliseconds(0);
    if (rate_key_.empty()) rate_key_ = auth::CommandRate::key_for(peer());
    return rate->charge_key(rate_key_);
  }
  std::uint8_t state_bit() const;

  // Queues a response (sent at the next flush). BAD responses count towards the error limit.
  void send(std::string_view response);
  // The same for a large response built by the caller: handed over without a copy when nothing else is queued.
  void send_owned(std::string response);
  void ok(std::string_view tag, std::string_view text, std::string_view code = {});
  void no(std::string_view tag, std::string_view text, std::string_view code = {});
  void bad(std::string_view tag, std::string_view text, std::string_view code = {});
  // For error responses built elsewhere (proto/error_response.hpp): counts towards the error limit.
  void bad_count_only() { ++errors_; }
  boost::asio::awaitable<bool> flush();

  // The next event from the client: reads lines (interruptible by shutdown while no command is in progress)
  // and literal bytes, answers synchronizing literals with "+ " (or refuses them), and returns commands, lines
  // (after expect_line) and errors. An I/O failure returns nullopt with `closing` set and the BYE queued.
  boost::asio::awaitable<std::optional<proto::Event>> next_event();
  proto::Receiver& receiver() { return receiver_; }

  // Untagged updates about the selected mailbox that arrived from other sessions (RFC 9051 §7.5.1):
  // EXISTS/FETCH always, EXPUNGE only when `allow_expunge`.
  boost::asio::awaitable<void> report_changes(bool allow_expunge);
  // Removes messages this session expunged (or moved) from the view and tells the client: "* n EXPUNGE" each,
  // or one "* VANISHED uids" once QRESYNC is enabled (RFC 7162 §3.2.10).
  void expunge_from_view(const std::vector<std::uint32_t>& uids);

  bool tls() const { return conn_.is_tls(); }
  bool plaintext_allowed() const;
  bool passwords_allowed() const { return tls() || plaintext_allowed(); }
  std::vector<std::string> capabilities() const;
  // APPENDLIMIT (RFC 7889): the literal limit, capped by the SMTP message size limit.
  std::uint64_t append_limit() const;
  bool too_many_errors() const;
  proto::ParseOptions parse_options() const { return opts_; }
  bool utf8_accept() const { return opts_.utf8_accept; }
  void enable_utf8_accept() { opts_.utf8_accept = true; }

  // Switches to authenticated state for an account (LOGIN, AUTHENTICATE).
  boost::asio::awaitable<bool> log_in(const std::string& address);
  void select(std::unique_ptr<SelectedMailbox> mailbox);
  void unselect();
  ChangeFeed& feed() { return *feed_; }

  State state = State::not_authenticated;
  std::string user;
  store::AccountId account = 0;
  std::unique_ptr<store::MailStore> mail;
  std::unique_ptr<SelectedMailbox> selected;
  bool condstore = false;      // ENABLE CONDSTORE or a CONDSTORE-using command (RFC 7162 §3.1)
  bool imap4rev2 = false;      // ENABLE IMAP4rev2 (RFC 9051 §6.3.1): no RECENT, ESEARCH for every SEARCH
  std::vector<std::uint32_t> saved_result;  // SEARCHRES "$" (RFC 5182): UIDs; emptied by SELECT
  bool qresync = false;        // ENABLE QRESYNC (RFC 7162 §3.2.3): VANISHED instead of EXPUNGE, UID in every FETCH
  NotifySettings notify;       // NOTIFY SET (RFC 5465); inactive after NOTIFY NONE
  bool awaiting_command = false;  // the read loop waits for the next command: NOTIFY events may be pushed
  // This session added messages to its own selected mailbox, or the client polls (NOOP, CHECK, IDLE, UID SEARCH…):
  // re-read the UID list at the next report, which also catches other processes' commits (not on the change bus).
  bool force_refresh = false;
  // The store's commit stamp from just before the view's last full read (SELECT or such a re-read). While the store
  // still shows it, nothing was committed since by anyone, and a forced re-read would find nothing: it is skipped
  // (NOOP on a 100,000-message mailbox: no copy and compare of its UIDs).
  std::optional<store::CommitStamp> listed_at;
  // Something was committed (by anyone) since the view's last full read; false when the store cannot tell.
  bool committed_since_listed() const;
  bool closing = false;        // LOGOUT, I/O failure, fatal receive error
  std::string close_reason;
  std::string current_verb;

 private:
  Services& services_;
  std::string rate_key_;  // this peer's auth::CommandRate key, computed at its first command
  io::Connection& conn_;
  io::SessionContext& ctx_;
  proto::Receiver receiver_;
  proto::ParseOptions opts_;
  std::unique_ptr<ChangeFeed> feed_;
  std::uint32_t errors_ = 0;
  std::uint64_t pending_raw_ = 0;  // literal bytes announced and not read yet
  bool mid_command_ = false;
  bool selected_has_ghosts_ = false;  // the view still holds messages expunged elsewhere       // a literal was announced: the command continues after it
};

}  // namespace claret::imap::server
