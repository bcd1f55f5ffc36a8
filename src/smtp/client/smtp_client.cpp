// SmtpClient: greeting, EHLO, STARTTLS, AUTH PLAIN, pipelined MAIL/RCPT/DATA and per-recipient results
// (RFC 5321 §3.3, §4.5.3.2; RFC 3207 §4; RFC 4954 §4 with RFC 4616; RFC 2920 §3; RFC 1870; RFC 6152; RFC 6531; RFC 3461 §4).
#include "smtp/client/smtp_client.hpp"

#include "base/base64.hpp"
#include "base/log.hpp"
#include "io/connect.hpp"
#include "smtp/client/dot_stuffing.hpp"
#include "smtp/client/reply_parser.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/proto/xtext.hpp"

namespace claret::smtp::client {
namespace {

using boost::asio::awaitable;
using proto::Reply;

// RFC 5321 §4.5.3.1.5: a reply line is at most 512 octets; be lenient with servers that exceed it.
constexpr size_t kMaxReplyLine = 4096;

bool positive(const Reply& r) { return r.code >= 200 && r.code < 300; }

Reply local_reply(int code, std::string_view enhanced, std::string text) {
  return proto::make_reply(code, enhanced, std::move(text));
}

std::string notify_param(int notify) {
  // Bits as in queue::notify: 1 NEVER, 2 SUCCESS, 4 FAILURE, 8 DELAY.
  if (notify == 0) return {};
  if (notify & 1) return " NOTIFY=NEVER";
  std::string v;
  if (notify & 2) v += "SUCCESS,";
  if (notify & 4) v += "FAILURE,";
  if (notify & 8) v += "DELAY,";
  if (v.empty()) return {};
  v.pop_back();
  return " NOTIFY=" + v;
}

}  // namespace

SmtpClient::SmtpClient(std::unique_ptr<io::Connection> conn, ClientOptions options, std::string peer)
    : conn_(std::move(conn)), options_(std::move(options)), peer_(std::move(peer)) {}

SmtpClient::~SmtpClient() = default;

bool SmtpClient::is_tls() const { return conn_ && conn_->is_tls(); }

awaitable<Result<std::unique_ptr<SmtpClient>>> SmtpClient::open(std::string host, std::uint16_t port,
                                                                 ClientOptions options) {
  io::ConnectOptions co;
  co.host = host;
  co.port = port;
  co.tls = options.tls;
  co.implicit_tls = options.implicit_tls;
  co.server_name = options.server_name;
  co.connect_timeout = options.timeouts.connect;
  co.idle_timeout = options.timeouts.other;
  auto conn = co_await io::connect(std::move(co));
  if (!conn) co_return conn.error();
  std::string peer = host + ":" + std::to_string(port);
  std::unique_ptr<SmtpClient> client(new SmtpClient(std::move(*conn), std::move(options), std::move(peer)));
  auto st = co_await client->handshake();
  if (!st) {
    co_await client->conn_->close();
    co_return st.error();
  }
  co_return std::move(client);
}

awaitable<Result<Reply>> SmtpClient::read_reply(std::chrono::milliseconds timeout) {
  ReplyParser parser;
  // The budget covers the whole reply: a server trickling continuation lines does not extend it.
  conn_->set_deadline(timeout);
  for (;;) {
    auto line = co_await conn_->read_line(kMaxReplyLine);
    if (!line) {
      conn_->clear_deadline();
      usable_ = false;
      co_return line.error();
    }
    auto r = parser.feed(*line);
    if (!r) {
      conn_->clear_deadline();
      usable_ = false;
      co_return r.error();
    }
    if (r->has_value()) {
      conn_->clear_deadline();
      co_return std::move(**r);
    }
  }
}

awaitable<Result<Reply>> SmtpClient::command(std::string line, std::chrono::milliseconds timeout) {
  line += "\r\n";
  auto st = co_await conn_->write(line);
  if (!st) {
    usable_ = false;
    co_return st.error();
  }
  co_return co_await read_reply(timeout);
}

awaitable<Status> SmtpClient::ehlo() {
  auto r = co_await command("EHLO " + options_.helo_name, options_.timeouts.other);
  if (!r) co_return r.error();
  if (positive(*r)) {
    caps_ = parse_ehlo(*r);
    co_return Status{};
  }
  // RFC 5321 §3.2: fall back to HELO when EHLO is not understood; no extensions then.
  auto h = co_await command("HELO " + options_.helo_name, options_.timeouts.other);
  if (!h) co_return h.error();
  if (!positive(*h)) co_return Error{h->code, "HELO refused: " + reply_summary(*h)};
  caps_ = {};
  co_return Status{};
}

awaitable<Status> SmtpClient::handshake() {
  auto greeting = co_await read_reply(options_.timeouts.greeting);
  if (!greeting) co_return greeting.error();
  if (greeting->code != proto::code::kServiceReady)
    co_return Error{greeting->code, "greeting: " + reply_summary(*greeting)};
  auto st = co_await ehlo();
  if (!st) co_return st;
  if (caps_.starttls && options_.tls && conn_->can_start_tls()) {
    auto r = co_await command("STARTTLS", options_.timeouts.other);
    if (!r) co_return r.error();
    if (r->code == proto::code::kServiceReady) {
      auto tls = co_await conn_->start_tls();
      if (!tls) {
        usable_ = false;
        co_return tls.error();
      }
      // RFC 3207 §4.2: forget everything learned before TLS and ask again.
      auto again = co_await ehlo();
      if (!again) co_return again;
    } else if (options_.require_tls) {
      co_return Error{proto::code::kTempAuthFailure, "STARTTLS refused: " + reply_summary(*r)};
    }
  }
  if (options_.require_tls && !conn_->is_tls())
    co_return Error{proto::code::kTempAuthFailure, "TLS required but not offered by " + peer_};
  if (!options_.auth_user.empty()) {
    bool plain = false;
    for (const auto& m : caps_.auth_mechanisms) plain = plain || m == "PLAIN";
    if (!plain) co_return Error{proto::code::kTempAuthFailure, "server does not offer AUTH PLAIN"};
    std::string creds;
    creds += '\0';
    creds += options_.auth_user;
    creds += '\0';
    creds += options_.auth_password;
    auto r = co_await command("AUTH PLAIN " + base64_encode(creds), options_.timeouts.other);
    if (!r) co_return r.error();
    if (r->code != proto::code::kAuthSucceeded) co_return Error{r->code, "AUTH failed: " + reply_summary(*r)};
  }
  log::info("smtp.client.ready", {{"peer", peer_}, {"tls", conn_->is_tls() ? conn_->tls_version() : "none"},
                                  {"pipelining", caps_.pipelining}});
  co_return Status{};
}

std::string SmtpClient::mail_command(const Envelope& envelope, std::string_view message, bool eight_bit) const {
  std::string line = "MAIL FROM:<" + envelope.sender + ">";
  if (caps_.size) line += " SIZE=" + std::to_string(message.size());
  if (eight_bit && caps_.eight_bit_mime) line += " BODY=8BITMIME";
  if (envelope.smtputf8 && caps_.smtputf8) line += " SMTPUTF8";
  if (caps_.dsn) {
    if (!envelope.ret.empty()) line += " RET=" + envelope.ret;
    if (!envelope.envid.empty()) line += " ENVID=" + proto::xtext_encode(envelope.envid);
  }
  return line;
}

std::string SmtpClient::rcpt_command(const EnvelopeRecipient& rcpt) const {
  std::string line = "RCPT TO:<" + rcpt.address + ">";
  if (caps_.dsn) {
    line += notify_param(rcpt.notify);
    if (auto semi = rcpt.orcpt.find(';'); semi != std::string::npos && semi > 0)
      line += " ORCPT=" + rcpt.orcpt.substr(0, semi) + ";" + proto::xtext_encode(rcpt.orcpt.substr(semi + 1));
  }
  return line;
}

awaitable<Result<TransactionResult>> SmtpClient::send(const Envelope& envelope, std::string_view message) {
  TransactionResult out;
  auto refuse_all = [&](Reply r) {
    out.message = r;
    out.recipients.assign(envelope.recipients.size(), r);
    return out;
  };
  if (!usable_) co_return io::make_io_error(io::IoErrc::closed, "SMTP session is no longer usable");
  // Decided before sending anything (RFC 1870 §6: do not send a message the server already said it will refuse;
  // RFC 6152 §3 / RFC 6531 §3.4: 8-bit or UTF-8 content to a server that does not accept it is bounced).
  if (caps_.size && *caps_.size > 0 && message.size() > *caps_.size)
    co_return refuse_all(local_reply(proto::code::kExceededStorage, "5.3.4",
                                     "message size exceeds the limit of " + peer_));
  const bool eight_bit = has_8bit(message);
  if (eight_bit && !caps_.eight_bit_mime && !envelope.smtputf8)
    co_return refuse_all(local_reply(proto::code::kTransactionFailed, "5.6.3",
                                     "8-bit message and " + peer_ + " does not support 8BITMIME"));
  if (envelope.smtputf8 && !caps_.smtputf8)
    co_return refuse_all(local_reply(proto::code::kTransactionFailed, "5.6.7",
                                     "internationalized message and " + peer_ + " does not support SMTPUTF8"));
  if (need_rset_) {
    auto r = co_await command("RSET", options_.timeouts.other);
    if (!r) co_return r.error();
    need_rset_ = false;
  }
  need_rset_ = true;  // until the transaction completes

  const auto& t = options_.timeouts;
  out.recipients.resize(envelope.recipients.size());
  std::vector<bool> accepted(envelope.recipients.size(), false);
  size_t accepted_count = 0;
  Reply mail_reply;
  Reply data_reply;
  if (caps_.pipelining) {
    // RFC 2920 §3.1: MAIL, every RCPT and DATA in one write; replies come back in order.
    conn_->enqueue(mail_command(envelope, message, eight_bit) + "\r\n");
    for (const auto& rc : envelope.recipients) conn_->enqueue(rcpt_command(rc) + "\r\n");
    conn_->enqueue("DATA\r\n");
    auto st = co_await conn_->flush();
    if (!st) {
      usable_ = false;
      co_return st.error();
    }
    auto m = co_await read_reply(t.mail);
    if (!m) co_return m.error();
    mail_reply = *m;
    for (size_t i = 0; i < envelope.recipients.size(); ++i) {
      auto r = co_await read_reply(t.rcpt);
      if (!r) co_return r.error();
      out.recipients[i] = *r;
      accepted[i] = positive(mail_reply) && positive(*r);
      accepted_count += accepted[i];
    }
    auto d = co_await read_reply(t.data_init);
    if (!d) co_return d.error();
    data_reply = *d;
    if (!positive(mail_reply)) {
      if (data_reply.code == proto::code::kStartMailInput) (void)co_await command(".", t.data_end);
      co_return refuse_all(mail_reply);
    }
    if (accepted_count == 0) {
      // RFC 2920 §3.1: the server must refuse DATA when no RCPT succeeded; if it did not, end the empty message.
      if (data_reply.code == proto::code::kStartMailInput) {
        auto end = co_await command(".", t.data_end);
        if (!end) co_return end.error();
      }
      out.message = out.recipients.empty() ? data_reply : out.recipients.front();
      co_return out;
    }
  } else {
    auto m = co_await command(mail_command(envelope, message, eight_bit), t.mail);
    if (!m) co_return m.error();
    if (!positive(*m)) co_return refuse_all(*m);
    for (size_t i = 0; i < envelope.recipients.size(); ++i) {
      auto r = co_await command(rcpt_command(envelope.recipients[i]), t.rcpt);
      if (!r) co_return r.error();
      out.recipients[i] = *r;
      accepted[i] = positive(*r);
      accepted_count += accepted[i];
    }
    if (accepted_count == 0) {
      out.message = out.recipients.empty() ? *m : out.recipients.front();
      co_return out;
    }
    auto d = co_await command("DATA", t.data_init);
    if (!d) co_return d.error();
    data_reply = *d;
  }
  if (data_reply.code != proto::code::kStartMailInput) {
    for (size_t i = 0; i < accepted.size(); ++i)
      if (accepted[i]) out.recipients[i] = data_reply;
    out.message = data_reply;
    co_return out;
  }
  conn_->set_idle_timeout(t.data_block);
  auto sent = co_await conn_->write(dot_stuff(message));
  conn_->set_idle_timeout(t.other);
  if (!sent) {
    usable_ = false;
    co_return sent.error();
  }
  auto fin = co_await read_reply(t.data_end);
  if (!fin) co_return fin.error();
  need_rset_ = false;
  for (size_t i = 0; i < accepted.size(); ++i)
    if (accepted[i]) out.recipients[i] = *fin;
  out.message = *fin;
  co_return out;
}

awaitable<void> SmtpClient::quit() {
  if (usable_) {
    usable_ = false;
    auto r = co_await command("QUIT", options_.timeouts.other);
    (void)r;
  }
  co_await conn_->close();
}

}  // namespace claret::smtp::client
