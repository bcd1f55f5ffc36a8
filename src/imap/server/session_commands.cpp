// Commands valid in any state and before login: CAPABILITY, NOOP, LOGOUT (RFC 9051 §6.1), STARTTLS, LOGIN,
// AUTHENTICATE with SASL-IR (§6.2, RFC 4959) and login throttling, ENABLE (RFC 5161), ID (RFC 2971).
#include <algorithm>
#include <memory>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "auth/sasl_mechanism.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "imap/proto/response_codes.hpp"
#include "imap/server/commands.hpp"
#include "io/offload.hpp"

namespace claret::imap::server {

namespace {

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

// nullopt: refused outright (the address is blocked); otherwise the delay to apply to a failure.
std::optional<std::chrono::milliseconds> admit_login_attempt(Session& s, std::string_view tag) {
  auto decision = s.services().throttle.check(s.peer(), "");
  if (decision.action == auth::ThrottleAction::reject) {
    log::info("imap.auth.throttled", {{"cid", s.cid()}, {"ip", s.peer()}});
    s.no(tag, "Too many failed logins, try again later", proto::response_code(proto::code::kUnavailable));
    return std::nullopt;
  }
  return decision.delay;
}

Task login_failed(Session& s, std::string tag, std::chrono::milliseconds delay, std::string tried,
                  std::string_view mechanism, std::string_view detail) {
  auto& throttle = s.services().throttle;
  const std::string ip = s.peer();
  delay = std::max(delay, throttle.check(ip, tried).delay);
  throttle.record_failure(ip, tried);
  log::info("imap.auth.failed", {{"cid", s.cid()}, {"mechanism", mechanism}, {"ip", ip}, {"detail", detail}});
  if (delay.count() > 0) co_await sleep_for(delay);
  s.no(tag, "Authentication failed", proto::response_code(proto::code::kAuthenticationFailed));
}

Task login_succeeded(Session& s, std::string tag, std::string authcid, std::string_view mechanism) {
  const bool logged_in = co_await s.log_in(authcid);
  if (!logged_in) {
    s.no(tag, "Cannot open the mailbox store", proto::response_code(proto::code::kServerBug));
    co_return;
  }
  s.services().throttle.record_success(s.peer(), authcid);
  log::info("imap.auth.ok", {{"cid", s.cid()}, {"mechanism", mechanism}, {"user", s.user}});
  // RFC 9051 §6.2.2: the capabilities may change after login; send them so the client need not ask.
  s.ok(tag, "Logged in", proto::code_capability(s.capabilities()));
}

auth::CredentialLookup make_lookup(store::Store& store, std::shared_ptr<std::string> tried) {
  return [&store, tried](std::string_view user) -> std::optional<auth::Credentials> {
    *tried = std::string(user);
    auto account = store.directory().get_account(user);
    if (!account) return std::nullopt;
    return auth::Credentials{account->password_hash, account->scram};
  };
}

}  // namespace

Task cmd_capability(Session& s, const proto::Command& cmd) {
  s.send(proto::capability_response(s.capabilities()));
  s.ok(cmd.tag, "CAPABILITY completed");
  co_return;
}

Task cmd_noop(Session& s, const proto::Command& cmd) {
  // NOOP is how clients poll: re-read the UID list too, which also catches messages added or expunged by other
  // processes (claret deliver, the admin CLI) that the in-process ChangeBus does not see.
  s.force_refresh = s.selected != nullptr;
  co_await s.report_changes(true);
  s.ok(cmd.tag, "NOOP completed");
}

Task cmd_logout(Session& s, const proto::Command& cmd) {
  s.send(proto::untagged_status(proto::Condition::bye, "", "Logging out"));
  s.ok(cmd.tag, "LOGOUT completed");
  s.state = State::logout;
  s.closing = true;
  s.close_reason = "logout";
  co_return;
}

Task cmd_starttls(Session& s, const proto::Command& cmd) {
  if (!s.conn().can_start_tls()) {
    s.bad(cmd.tag, s.tls() ? "TLS already active" : "STARTTLS not available");
    co_return;
  }
  s.ok(cmd.tag, "Begin TLS negotiation now");
  auto started = co_await s.conn().start_tls();
  if (!started) {
    s.closing = true;
    s.close_reason = "tls";
    co_return;
  }
  // RFC 9051 §11.1: nothing received in plaintext after STARTTLS may be taken as a command.
  s.receiver().reset();
  if (started->discarded_bytes > 0)
    log::info("imap.starttls.discarded", {{"cid", s.cid()}, {"bytes", started->discarded_bytes}});
}

Task cmd_login(Session& s, const proto::Command& cmd) {
  if (!s.passwords_allowed()) {
    s.no(cmd.tag, "Plaintext login disallowed without TLS (use STARTTLS)",
         proto::response_code(proto::code::kPrivacyRequired));
    co_return;
  }
  const auto& args = std::get<proto::LoginArgs>(cmd.args);
  auto delay = admit_login_attempt(s, cmd.tag);
  if (!delay) co_return;
  store::Store& store = s.services().store;
  auto tried = std::make_shared<std::string>();
  auth::CredentialLookup lookup = make_lookup(store, tried);
  const std::string user = args.user;
  const std::string password = args.password;
  bool good = co_await io::offload([&lookup, &user, &password] { return auth::check_password(lookup, user, password); });
  if (!good) {
    co_await login_failed(s, cmd.tag, *delay, user, "LOGIN", "bad credentials");
    co_return;
  }
  co_await login_succeeded(s, cmd.tag, user, "LOGIN");
}

Task cmd_authenticate(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::AuthenticateArgs>(cmd.args);
  const std::string mechanism = args.mechanism;
  auto names = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  if (std::find(names.begin(), names.end(), mechanism) == names.end()) {
    bool needs_tls = !s.passwords_allowed() && (mechanism == "PLAIN" || mechanism == "LOGIN");
    if (needs_tls)
      s.no(cmd.tag, "Plaintext authentication disallowed without TLS",
           proto::response_code(proto::code::kPrivacyRequired));
    else
      s.no(cmd.tag, "Unsupported authentication mechanism", proto::response_code(proto::code::kCannot));
    co_return;
  }
  auto delay = admit_login_attempt(s, cmd.tag);
  if (!delay) co_return;
  auto tried = std::make_shared<std::string>();
  auto mech = auth::make_mechanism(mechanism, make_lookup(s.services().store, tried));
  if (!mech) {
    s.no(cmd.tag, "Unsupported authentication mechanism", proto::response_code(proto::code::kCannot));
    co_return;
  }
  auth::SaslMechanism& m = *mech;
  auth::SaslStep step;
  if (args.initial_response) {
    const std::string initial = *args.initial_response;
    step = co_await io::offload([&m, &initial] { return m.step(initial); });
  } else {
    step = m.start();
  }
  while (step.kind == auth::SaslStepKind::challenge) {
    s.send(proto::continuation_challenge(step.data));
    {
      const bool done_ok = co_await s.flush();
      if (!done_ok) co_return;
    }
    s.receiver().expect_line();
    auto ev = co_await s.next_event();
    if (!ev) co_return;
    if (ev->kind != proto::Event::Kind::line) {
      s.bad(cmd.tag, "Authentication exchange broken");
      co_return;
    }
    auto response = proto::parse_auth_response(ev->line);
    if (!response) {
      s.bad(cmd.tag, "Invalid base64 data");
      co_return;
    }
    if (response->cancel) {  // RFC 9051 §6.2.2: "*" cancels, answered with BAD
      s.bad(cmd.tag, "Authentication cancelled");
      co_return;
    }
    const std::string data = response->data;
    step = co_await io::offload([&m, &data] { return m.step(data); });
  }
  if (step.kind == auth::SaslStepKind::success) {
    co_await login_succeeded(s, cmd.tag, step.authcid, mechanism);
    co_return;
  }
  if (step.reason == auth::kMalformed) {
    log::info("imap.auth.malformed", {{"cid", s.cid()}, {"mechanism", mechanism}, {"detail", step.detail}});
    s.bad(cmd.tag, "Malformed authentication data");
    co_return;
  }
  co_await login_failed(s, cmd.tag, *delay, *tried, mechanism, step.detail);
}

Task cmd_enable(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::EnableArgs>(cmd.args);
  std::vector<std::string> enabled;
  for (const auto& cap : args.capabilities) {
    // RFC 5161 §3.1: only capabilities the server knows and that change behaviour are enabled; others ignored.
    if (cap == "CONDSTORE" && !s.condstore) {
      s.condstore = true;
      enabled.push_back(cap);
    }
  }
  s.send(proto::enabled_response(enabled));
  s.ok(cmd.tag, "ENABLE completed");
  co_return;
}

Task cmd_id(Session& s, const proto::Command& cmd) {
  const auto& args = std::get<proto::IdArgs>(cmd.args);
  if (args.params) {
    std::string name;
    std::string version;
    for (const auto& [k, v] : *args.params) {
      if (!v) continue;
      if (iequals(k, "name")) name = v->substr(0, 64);
      if (iequals(k, "version")) version = v->substr(0, 64);
    }
    log::info("imap.client.id", {{"cid", s.cid()}, {"name", name}, {"version", version}});
  }
  s.send(proto::id_response(std::vector<std::pair<std::string, std::string>>{{"name", "claret"}}));
  s.ok(cmd.tag, "ID completed");
  co_return;
}

}  // namespace claret::imap::server
