// POP3 session state shared by the command handlers (RFC 1939 §3 states, §4 AUTHORIZATION, §5 TRANSACTION).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include <boost/asio/awaitable.hpp>

#include "io/connection.hpp"
#include "io/server.hpp"
#include "pop3/server/command_table.hpp"
#include "pop3/server/maildrop.hpp"
#include "pop3/server/read_ahead.hpp"
#include "pop3/server/server.hpp"
#include "store/blob_store.hpp"
#include "store/mail_store.hpp"

namespace claret::pop3::server {

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

  // Queues one complete response (sent at the next flush); a "-ERR" counts towards the error limit.
  void reply(std::string_view response);
  // The same for a complete "+OK" response built by the caller (RETR): not scanned for "-ERR", and taken over
  // rather than copied (a message's response is tens of KB).
  void reply_prepared(std::string response);
  // Sends everything queued; false (and `closing`) when the connection failed.
  boost::asio::awaitable<bool> flush();

  State state = State::authorization;
  std::optional<std::string> pending_user;  // USER accepted, waiting for PASS (RFC 1939 §7)
  std::string user;                          // the authenticated account's address
  store::AccountId account = 0;
  std::unique_ptr<store::MailStore> mail;    // set with the maildrop when TRANSACTION begins
  Maildrop maildrop;
  // Set by a command that ended the conversation (QUIT, I/O failure): the read loop stops.
  bool closing = false;
  std::string close_reason;
  std::string current_verb;  // for logs
  std::uint64_t retrieved = 0;  // RETR/TOP responses sent, for the session log
  // RETR read-ahead: responses prepared for the messages a client fetching in order asks for next, read in batches
  // (one pool trip per batch, bounded in messages and bytes) once the current reply is out.
  ReadAhead read_ahead;

  bool tls() const;
  // The administrator allows passwords without TLS from loopback, and the peer is on loopback.
  bool plaintext_allowed() const;
  // USER/PASS and AUTH PLAIN/LOGIN may be used now (RFC 2595 §4, DESIGN.md §5).
  bool passwords_allowed() const { return tls() || plaintext_allowed(); }
  std::uint32_t errors() const { return errors_; }
  bool too_many_errors() const;

 private:
  void log_reply(bool failed);

  Services& services_;
  std::string rate_key_;  // this peer's auth::CommandRate key, computed at its first command
  io::Connection& conn_;
  io::SessionContext& ctx_;
  std::uint32_t errors_ = 0;
};

}  // namespace claret::pop3::server
