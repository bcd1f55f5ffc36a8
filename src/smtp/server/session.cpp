// SMTP/LMTP session: greeting, command read loop with limits and deadlines, dispatch through the command table
// (RFC 5321 §3.1, §4.1.4, §4.5.3.2 timeouts, RFC 2920 pipelining, RFC 2033 LMTP).
#include "smtp/server/session.hpp"

#include <chrono>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "io/errors.hpp"
#include "io/pause.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/error_map.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

std::string_view mode_name(Mode mode) {
  switch (mode) {
    case Mode::mx: return "mx";
    case Mode::submission: return "submission";
    case Mode::lmtp: return "lmtp";
  }
  return "unknown";
}

Session::Session(Mode mode, Services& services, io::Connection& conn, io::SessionContext& ctx)
    : mode_(mode), services_(services), conn_(conn), ctx_(ctx) {}

void Session::reply(const proto::Reply& r) {
  if (r.code >= 500) ++errors_;
  // Failures are worth an info line; successes only at debug level, they are the bulk of the traffic.
  auto level = r.code >= 400 ? log::Level::info : log::Level::debug;
  log::event(level, "smtp.command.done",
             {{"cid", ctx_.connection_id}, {"cmd", current_verb}, {"code", r.code}, {"enhanced", r.enhanced}});
  conn_.enqueue(r.serialize());
}

boost::asio::awaitable<bool> Session::flush() {
  auto st = co_await conn_.flush();
  if (!st) closing = true;
  co_return st.ok();
}

void Session::begin_transaction(std::string reverse_path, proto::MailParams params) {
  reset_transaction();
  ++txn_counter_;
  // Unique per process run and connection: cid and transaction number, plus the start time to tell runs apart.
  static const auto kStart = std::chrono::duration_cast<std::chrono::seconds>(
                                 std::chrono::system_clock::now().time_since_epoch()).count();
  txn_.id = std::to_string(kStart) + "." + std::to_string(ctx_.connection_id) + "." + std::to_string(txn_counter_);
  txn_.reverse_path = std::move(reverse_path);
  txn_.params = std::move(params);
  state = State::mail;
}

void Session::reset_transaction() {
  txn_ = Transaction{};
  if (state != State::fresh) state = State::ready;
}

bool Session::tls() const { return conn_.is_tls(); }

bool Session::plaintext_allowed() const {
  if (!services_.config.auth.allow_plaintext_on_loopback) return false;
  std::string ip = conn_.peer_address();
  return ip == "::1" || ip.rfind("127.", 0) == 0 || ip.rfind("::ffff:127.", 0) == 0;
}

bool Session::tls_required() const { return mode_ == Mode::submission && !tls() && !plaintext_allowed(); }

bool Session::too_many_errors() const {
  return services_.config.smtp.max_errors > 0 && errors_ >= services_.config.smtp.max_errors;
}

std::size_t Session::command_line_limit() const { return services_.config.smtp.max_line_length; }

namespace {

boost::asio::awaitable<void> dispatch(Session& s, proto::Command cmd) {
  switch (cmd.verb) {
    case proto::Verb::ehlo: co_await cmd_ehlo(s, std::get<proto::HelloArgs>(std::move(cmd.args))); break;
    case proto::Verb::helo: co_await cmd_helo(s, std::get<proto::HelloArgs>(std::move(cmd.args))); break;
    case proto::Verb::lhlo: co_await cmd_lhlo(s, std::get<proto::HelloArgs>(std::move(cmd.args))); break;
    case proto::Verb::mail: co_await cmd_mail(s, std::get<proto::MailArgs>(std::move(cmd.args))); break;
    case proto::Verb::rcpt: co_await cmd_rcpt(s, std::get<proto::RcptArgs>(std::move(cmd.args))); break;
    case proto::Verb::data: co_await cmd_data(s); break;
    case proto::Verb::bdat: co_await cmd_bdat(s, std::get<proto::BdatArgs>(cmd.args)); break;
    case proto::Verb::rset: co_await cmd_rset(s); break;
    case proto::Verb::noop: co_await cmd_noop(s); break;
    case proto::Verb::quit: co_await cmd_quit(s); break;
    case proto::Verb::vrfy: co_await cmd_vrfy(s, std::get<proto::TextArgs>(std::move(cmd.args))); break;
    case proto::Verb::expn: co_await cmd_expn(s, std::get<proto::TextArgs>(std::move(cmd.args))); break;
    case proto::Verb::help: co_await cmd_help(s, std::get<proto::TextArgs>(std::move(cmd.args))); break;
    case proto::Verb::starttls: co_await cmd_starttls(s); break;
    case proto::Verb::auth: co_await cmd_auth(s, std::get<proto::AuthArgs>(std::move(cmd.args))); break;
  }
}

// One command line: table gate, parse, run. Returns when its replies are queued.
boost::asio::awaitable<void> handle_line(Session& s, const std::string& line) {
  auto verb = proto::peek_verb(line);
  s.current_verb = verb ? std::string(proto::verb_name(*verb)) : "?";
  if (verb) {
    Gate g = gate(*verb, GateInput{s.mode(), s.state, s.tls_required(), s.auth.has_value()});
    if (g != Gate::allowed) {
      // A refused BDAT still announced its payload: read it so it is not taken for commands (RFC 3030 §2).
      if (*verb == proto::Verb::bdat) {
        auto parsed = proto::parse_command(line);
        if (parsed) {
          bool discarded = co_await discard_bdat_payload(s, std::get<proto::BdatArgs>(parsed->args).size);
          if (!discarded) co_return;
        }
      }
      s.reply(gate_reply(g, *verb, s.state));
      co_return;
    }
  }
  proto::CommandOptions options;
  options.smtputf8 = s.txn().params.smtputf8;
  auto cmd = proto::parse_command(line, options);
  if (!cmd) {
    // A BDAT line whose size could not be parsed cannot be skipped; the client's bytes will be read as
    // commands and fail, and the error limit ends the session.
    s.reply(proto::parse_error_reply(verb, cmd.error()));
    co_return;
  }
  co_await dispatch(s, std::move(*cmd));
}

boost::asio::awaitable<void> run_session(io::Connection& conn, io::SessionContext& ctx, Mode mode,
                                         Services* services) {
  Session s(mode, *services, conn, ctx);
  const auto& limits = services->config.smtp;
  const auto command_timeout = std::chrono::seconds(limits.command_timeout_s);
  conn.set_idle_timeout(command_timeout);
  log::info("smtp.session.start", {{"cid", ctx.connection_id},
                                    {"listener", ctx.listener},
                                    {"mode", mode_name(mode)},
                                    {"ip", conn.peer_address()},
                                    {"tls", conn.is_tls() ? conn.tls_version() : std::string("no")}});
  std::string_view service = mode == Mode::lmtp ? "LMTP" : "ESMTP";
  s.current_verb = "greeting";
  // RFC 5321 §4.3.1: a client waits for the greeting. On the MX port, one that talks first is a bot
  // (Postfix postscreen's "pregreet" test); answer 554 instead of 220 (§3.1) and hang up.
  if (mode == Mode::mx && !conn.is_tls()) {
    auto early = co_await conn.input_within(std::chrono::milliseconds(limits.greet_pause_ms));
    if (early && *early) {
      log::info("smtp.session.pregreet", {{"cid", ctx.connection_id}, {"ip", conn.peer_address()}});
      co_await conn.write(proto::make_reply(code::kTransactionFailed, enh::kProtocolError,
                                            services->config.hostname + " protocol error: talked before the greeting")
                              .serialize());
      co_await conn.close();
      co_return;
    }
  }
  s.reply(proto::make_reply(code::kServiceReady, enh::kNone,
                            services->config.hostname + " " + std::string(service) + " claret ready"));
  std::string end_reason = "quit";
  auto flushed = co_await s.flush();
  if (!flushed) end_reason = "network";

  while (!s.closing) {
    conn.set_deadline(command_timeout);
    auto line = co_await conn.read_line(s.command_line_limit(), io::OnShutdown::interrupt);
    conn.clear_deadline();
    if (!line) {
      const Error& e = line.error();
      if (io::is(e, io::IoErrc::too_long)) {
        s.current_verb = "?";
        s.reply(proto::make_reply(code::kSyntaxError, enh::kSyntaxError, "Line too long"));
      } else {
        end_reason = io::to_string(static_cast<io::IoErrc>(e.code));
        if (auto last = io_error_reply(e)) {
          s.current_verb = "-";
          s.reply(*last);
          (void)co_await s.flush();
        }
        break;
      }
    } else {
      if (auto wait = s.command_pace(); wait.count() > 0) {
        // Over the address's command rate: answers already due leave first, then this command waits its turn.
        (void)co_await s.flush();
        co_await io::pause_for(wait);
      }
      co_await handle_line(s, *line);
      if (s.closing) {
        end_reason = s.close_reason.empty() ? "io" : s.close_reason;
        (void)co_await s.flush();
        break;
      }
    }
    if (s.too_many_errors()) {
      s.reply(too_many_errors_reply());
      (void)co_await s.flush();
      end_reason = "errors";
      break;
    }
    // Pipelining (RFC 2920): replies to a group of commands leave together, when no further command waits.
    if (conn.buffered() == 0) {
      auto flushed = co_await s.flush();
      if (!flushed) {
        end_reason = "network";
        break;
      }
    }
  }
  log::info("smtp.session.end", {{"cid", ctx.connection_id},
                                  {"reason", end_reason},
                                  {"messages", s.messages_accepted},
                                  {"errors", s.errors()}});
}

}  // namespace

io::SessionFn make_session(Mode mode, Services& services) {
  Services* svc = &services;
  return [mode, svc](io::Connection& conn, io::SessionContext& ctx) { return run_session(conn, ctx, mode, svc); };
}

}  // namespace claret::smtp::server
