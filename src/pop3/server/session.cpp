// POP3 session: greeting, command read loop with limits and deadlines, dispatch through the command table
// (RFC 1939 §3-§6, RFC 2449 §6.6 PIPELINING, RFC 3206 response codes).
#include "pop3/server/session.hpp"

#include <chrono>

#include "base/log.hpp"
#include "io/errors.hpp"
#include "io/pause.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"

namespace claret::pop3::server {

std::string_view state_name(State state) {
  switch (state) {
    case State::authorization: return "AUTHORIZATION";
    case State::transaction: return "TRANSACTION";
    case State::update: return "UPDATE";
  }
  return "?";
}

Session::Session(Services& services, io::Connection& conn, io::SessionContext& ctx)
    : services_(services), conn_(conn), ctx_(ctx) {}

void Session::log_reply(bool failed) {
  // Failures are worth an info line; successes only at debug level, they are the bulk of the traffic (and the
  // fields are not even built unless that level is on).
  const log::Level level = failed ? log::Level::info : log::Level::debug;
  if (level < log::level()) return;
  log::event(level, "pop3.command.done",
             {{"cid", ctx_.connection_id}, {"cmd", current_verb}, {"ok", failed ? "no" : "yes"}});
}

void Session::reply(std::string_view response) {
  const bool failed = response.rfind("-ERR", 0) == 0;
  if (failed) ++errors_;
  log_reply(failed);
  conn_.enqueue(response);
}

void Session::reply_prepared(std::string response) {
  log_reply(false);
  conn_.enqueue_owned(std::move(response));
}

boost::asio::awaitable<bool> Session::flush() {
  auto st = co_await conn_.flush();
  if (!st) {
    closing = true;
    if (close_reason.empty()) close_reason = "network";
  }
  co_return st.ok();
}

bool Session::tls() const { return conn_.is_tls(); }

bool Session::plaintext_allowed() const {
  if (!services_.config.auth.allow_plaintext_on_loopback) return false;
  std::string ip = conn_.peer_address();
  return ip == "::1" || ip.rfind("127.", 0) == 0 || ip.rfind("::ffff:127.", 0) == 0;
}

bool Session::too_many_errors() const {
  return services_.config.pop3.max_errors > 0 && errors_ >= services_.config.pop3.max_errors;
}

namespace {

boost::asio::awaitable<void> dispatch(Session& s, proto::Command cmd) {
  using proto::Verb;
  switch (cmd.verb) {
    case Verb::user: co_await cmd_user(s, std::get<proto::NameArg>(std::move(cmd.args))); break;
    case Verb::pass: co_await cmd_pass(s, std::get<proto::PasswordArg>(std::move(cmd.args))); break;
    case Verb::apop: co_await cmd_apop(s, std::get<proto::ApopArgs>(std::move(cmd.args))); break;
    case Verb::auth: co_await cmd_auth(s, std::get<proto::AuthArgs>(std::move(cmd.args))); break;
    case Verb::stls: co_await cmd_stls(s); break;
    case Verb::capa: co_await cmd_capa(s); break;
    case Verb::quit: co_await cmd_quit(s); break;
    case Verb::stat: co_await cmd_stat(s); break;
    case Verb::list: co_await cmd_list(s, std::get<proto::OptionalMsgArg>(cmd.args)); break;
    case Verb::retr: co_await cmd_retr(s, std::get<proto::MsgArg>(cmd.args)); break;
    case Verb::dele: co_await cmd_dele(s, std::get<proto::MsgArg>(cmd.args)); break;
    case Verb::noop: co_await cmd_noop(s); break;
    case Verb::rset: co_await cmd_rset(s); break;
    case Verb::top: co_await cmd_top(s, std::get<proto::TopArgs>(cmd.args)); break;
    case Verb::uidl: co_await cmd_uidl(s, std::get<proto::OptionalMsgArg>(cmd.args)); break;
  }
}

// One command line: state gate, parse, run. Returns when its responses are queued.
boost::asio::awaitable<void> handle_line(Session& s, const std::string& line) {
  auto verb = proto::peek_verb(line);
  s.current_verb = verb ? std::string(proto::verb_name(*verb)) : "?";
  // The gate comes before the parse, so a command in the wrong state is refused the same whatever its arguments.
  if (verb && !allowed(*verb, s.state)) {
    s.reply(gate_reply(*verb, s.state));
    co_return;
  }
  auto cmd = proto::parse_command(line);
  if (!cmd) {
    s.reply(parse_error_reply(cmd.error()));
    co_return;
  }
  co_await dispatch(s, std::move(*cmd));
}

std::chrono::seconds state_timeout(const Session& s) {
  const auto& limits = s.config().pop3;
  return std::chrono::seconds(s.state == State::authorization ? limits.preauth_timeout_s : limits.idle_timeout_s);
}

boost::asio::awaitable<void> run_session(io::Connection& conn, io::SessionContext& ctx, Services* services) {
  Session s(*services, conn, ctx);
  const auto& limits = services->config.pop3;
  conn.set_idle_timeout(state_timeout(s));
  log::info("pop3.session.start", {{"cid", ctx.connection_id},
                                    {"listener", ctx.listener},
                                    {"ip", conn.peer_address()},
                                    {"tls", conn.is_tls() ? conn.tls_version() : std::string("no")}});
  // No APOP timestamp in the greeting: APOP is not offered (RFC 1939 §7 makes the timestamp its announcement).
  s.current_verb = "greeting";
  s.reply(proto::ok(services->config.hostname + " POP3 claret ready"));
  std::string end_reason = "quit";
  auto flushed = co_await s.flush();
  if (!flushed) end_reason = "network";

  while (!s.closing) {
    // A deadline per command, so a client trickling bytes cannot hold the session past the state's timeout.
    conn.set_deadline(state_timeout(s));
    auto line = co_await conn.read_line(limits.max_line_length, io::OnShutdown::interrupt);
    conn.clear_deadline();
    if (!line) {
      const Error& e = line.error();
      if (io::is(e, io::IoErrc::too_long)) {
        s.current_verb = "?";
        s.reply(line_too_long_reply());
      } else {
        // A dropped or timed-out connection never reaches UPDATE: nothing is deleted (RFC 1939 §6).
        end_reason = io::to_string(static_cast<io::IoErrc>(e.code));
        if (auto last = io_error_reply(e)) {
          s.current_verb = "-";
          s.reply(*last);
          (void)co_await s.flush();
        }
        break;
      }
    } else {
      const State before = s.state;
      if (auto wait = s.command_pace(); wait.count() > 0) {
        // Over the address's command rate: answers already due leave first, then this command waits its turn.
        (void)co_await s.flush();
        co_await io::pause_for(wait);
      }
      co_await handle_line(s, *line);
      if (s.state != before) conn.set_idle_timeout(state_timeout(s));
      if (s.closing) {
        end_reason = s.close_reason.empty() ? "io" : s.close_reason;
        (void)co_await s.flush();
        break;
      }
    }
    if (s.too_many_errors()) {
      s.current_verb = "-";
      s.reply(too_many_errors_reply());
      (void)co_await s.flush();
      end_reason = "errors";
      break;
    }
    // Pipelining (RFC 2449 §6.6): responses to a burst of commands leave together once no command is waiting.
    if (conn.buffered() == 0) {
      auto flushed = co_await s.flush();
      if (!flushed) {
        end_reason = "network";
        break;
      }
    }
  }
  log::info("pop3.session.end", {{"cid", ctx.connection_id},
                                  {"reason", end_reason},
                                  {"user", s.user},
                                  {"retrieved", s.retrieved},
                                  {"errors", s.errors()}});
}

}  // namespace

io::SessionFn make_session(Services& services) {
  Services* svc = &services;
  return [svc](io::Connection& conn, io::SessionContext& ctx) { return run_session(conn, ctx, svc); };
}

}  // namespace claret::pop3::server
