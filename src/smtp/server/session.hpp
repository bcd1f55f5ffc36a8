// SMTP/LMTP session state shared by the command handlers (RFC 5321 §3.3 mail transactions, §4.1.4 order of
// commands, RFC 2033 §4.2 per-recipient replies).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <boost/asio/awaitable.hpp>

#include "io/connection.hpp"
#include "io/server.hpp"
#include "smtp/proto/bdat_reader.hpp"
#include "smtp/proto/command.hpp"
#include "smtp/proto/reply.hpp"
#include "smtp/server/command_table.hpp"
#include "smtp/server/server.hpp"
#include "store/types.hpp"

namespace claret::smtp::server {

struct AcceptedRecipient {
  std::string address;  // local@domain used for delivery (normalised local part, canonical domain)
  std::string given;    // the forward-path as the client wrote it, for logs and Received "for"
  bool outbound = false;  // for the outbound queue (submission to another domain), not local delivery
  proto::RcptParams params;
  std::vector<store::AccountId> accounts;  // local: the accounts RCPT resolved it to, delivered to at end of data
};

struct Transaction {
  std::string id;
  std::string reverse_path;  // without brackets; "" is the null reverse-path
  proto::MailParams params;
  std::vector<AcceptedRecipient> recipients;
  std::size_t rcpt_commands = 0;  // RCPT commands of this transaction, accepted or not (limit counting)
  std::optional<proto::BdatReader> bdat;
};

// The authenticated submission user: the account and the addresses it may send as (own address, aliases).
struct AuthIdentity {
  store::AccountId account = 0;
  std::string address;
  std::vector<std::string> sendable;
};

class Session {
 public:
  Session(Mode mode, Services& services, io::Connection& conn, io::SessionContext& ctx);

  Mode mode() const { return mode_; }
  Services& services() { return services_; }
  const config::Config& config() const { return services_.config; }
  io::Connection& conn() { return conn_; }
  std::uint64_t cid() const { return ctx_.connection_id; }

  // Queues a reply (sent at the next flush), counts errors and logs the command outcome.
  void reply(const proto::Reply& reply);
  // Writes everything queued now.
  boost::asio::awaitable<bool> flush();

  // Starts a new transaction after MAIL; clears it after RSET, EHLO, end of data, STARTTLS.
  void begin_transaction(std::string reverse_path, proto::MailParams params);
  void reset_transaction();
  Transaction& txn() { return txn_; }

  State state = State::fresh;
  bool esmtp = false;  // EHLO/LHLO rather than HELO: extensions may be used
  std::string helo;
  std::optional<AuthIdentity> auth;
  // Set by a command that ended the conversation (QUIT, timeout, I/O failure): the read loop stops.
  bool closing = false;
  std::string close_reason;  // why `closing` was set, for the session log
  std::string current_verb;  // for logs
  std::uint32_t messages_accepted = 0;

  bool tls() const;
  // Passwords may travel without TLS: loopback peer and the administrator allowed it.
  bool plaintext_allowed() const;
  // Submission refuses everything but EHLO/STARTTLS/… until TLS is active (unless plaintext_allowed).
  bool tls_required() const;
  std::uint32_t errors() const { return errors_; }
  bool too_many_errors() const;
  std::size_t command_line_limit() const;
  std::string peer() const { return conn_.peer_address(); }
  // How long the next command must wait for its address's command rate (auth::CommandRate): almost always zero.
  std::chrono::milliseconds command_pace() {
    auth::CommandRate* rate = services_.command_rate;
    if (rate == nullptr || !rate->enabled()) return std::chrono::milliseconds(0);
    if (rate_key_.empty()) rate_key_ = auth::CommandRate::key_for(peer());
    return rate->charge_key(rate_key_);
  }

 private:
  Mode mode_;
  Services& services_;
  std::string rate_key_;  // this peer's auth::CommandRate key, computed at its first command
  io::Connection& conn_;
  io::SessionContext& ctx_;
  Transaction txn_;
  std::uint32_t errors_ = 0;
  std::uint64_t txn_counter_ = 0;
};

std::string_view mode_name(Mode mode);

}  // namespace claret::smtp::server
