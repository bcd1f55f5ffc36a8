// SmtpClient: one outbound SMTP connection for the queue — EHLO, opportunistic STARTTLS (RFC 3207, RFC 7435),
// AUTH PLAIN for smarthosts (RFC 4954, RFC 4616), PIPELINING (RFC 2920), SIZE (RFC 1870), 8BITMIME (RFC 6152),
// SMTPUTF8 (RFC 6531), DSN parameters (RFC 3461), client timeouts (RFC 5321 §4.5.3.2), several transactions per
// connection.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "io/connection.hpp"
#include "smtp/proto/ehlo.hpp"
#include "smtp/proto/reply.hpp"

namespace claret::tls {
class TlsContext;
}

namespace claret::smtp::client {

// RFC 5321 §4.5.3.2 minimums by default; tests shorten them.
struct ClientTimeouts {
  std::chrono::milliseconds connect = std::chrono::seconds(30);
  std::chrono::milliseconds greeting = std::chrono::minutes(5);   // §4.5.3.2.1
  std::chrono::milliseconds mail = std::chrono::minutes(5);       // §4.5.3.2.2
  std::chrono::milliseconds rcpt = std::chrono::minutes(5);       // §4.5.3.2.3
  std::chrono::milliseconds data_init = std::chrono::minutes(2);  // §4.5.3.2.4
  std::chrono::milliseconds data_block = std::chrono::minutes(3); // §4.5.3.2.5
  std::chrono::milliseconds data_end = std::chrono::minutes(10);  // §4.5.3.2.6
  std::chrono::milliseconds other = std::chrono::minutes(5);      // EHLO, STARTTLS, AUTH, RSET, QUIT
};

struct ClientOptions {
  std::string helo_name;                  // our host name, sent in EHLO
  std::shared_ptr<tls::TlsContext> tls;   // client context for STARTTLS; null never upgrades
  bool require_tls = false;               // fail (temporarily) when STARTTLS is not offered or fails
  bool implicit_tls = false;              // TLS from the first byte (submissions, RFC 8314 §3); needs `tls`
  std::string server_name;                // certificate name to verify (and SNI); empty = the host
  std::string auth_user;                  // non-empty: AUTH PLAIN after EHLO (smarthost)
  std::string auth_password;
  ClientTimeouts timeouts;
};

struct EnvelopeRecipient {
  std::string address;
  int notify = 0;     // queue::notify bits; sent only when the server offers DSN
  std::string orcpt;  // "rfc822;addr" as received
};

struct Envelope {
  std::string sender;  // empty = null reverse path
  std::vector<EnvelopeRecipient> recipients;
  std::string ret;     // "FULL"/"HDRS" or empty
  std::string envid;
  bool smtputf8 = false;
};

// The outcome of one transaction. `recipients[i]` answers `Envelope::recipients[i]`: its RCPT reply if that
// failed, else the reply to the message as a whole (MAIL, DATA or end of data). `message` is that last reply.
// Refusals decided locally (size over the server's limit, 8-bit data without 8BITMIME) are reported the same way
// with a 5xx code and nothing sent.
struct TransactionResult {
  proto::Reply message;
  std::vector<proto::Reply> recipients;
};

class SmtpClient {
 public:
  // Connects, reads the greeting, EHLO (HELO if EHLO is refused), STARTTLS when offered and a TLS context is given,
  // EHLO again, then AUTH when configured. An error means no usable session (treat as a temporary failure);
  // a 5xx greeting or EHLO/AUTH refusal is reported as an Error with code = the reply code.
  static boost::asio::awaitable<Result<std::unique_ptr<SmtpClient>>> open(std::string host, std::uint16_t port,
                                                                          ClientOptions options);
  ~SmtpClient();

  // One mail transaction. An Error means the connection broke mid-way (temporary for every recipient not
  // already answered); the client is then unusable.
  boost::asio::awaitable<Result<TransactionResult>> send(const Envelope& envelope, std::string_view message);
  // QUIT and close (best effort, bounded by the timeouts).
  boost::asio::awaitable<void> quit();

  const proto::Capabilities& capabilities() const { return caps_; }
  bool is_tls() const;
  bool usable() const { return usable_; }
  const std::string& peer() const { return peer_; }

 private:
  SmtpClient(std::unique_ptr<io::Connection> conn, ClientOptions options, std::string peer);
  boost::asio::awaitable<Result<proto::Reply>> read_reply(std::chrono::milliseconds timeout);
  boost::asio::awaitable<Result<proto::Reply>> command(std::string line, std::chrono::milliseconds timeout);
  boost::asio::awaitable<Status> handshake();
  boost::asio::awaitable<Status> ehlo();
  std::string mail_command(const Envelope& envelope, std::string_view message, bool eight_bit) const;
  std::string rcpt_command(const EnvelopeRecipient& rcpt) const;

  std::unique_ptr<io::Connection> conn_;
  ClientOptions options_;
  std::string peer_;
  proto::Capabilities caps_;
  bool usable_ = true;
  bool need_rset_ = false;
};

}  // namespace claret::smtp::client
