// AUTH (RFC 5034 §4): SASL PLAIN, LOGIN and SCRAM-SHA-256 through auth/, with an optional initial response ("="
// for empty), "+ " challenges, "*" to cancel, [AUTH] on failure (RFC 3206 §5) and login throttling. A bare "AUTH"
// lists the mechanisms, as RFC 1734 clients expect.
#include <algorithm>
#include <memory>

#include "auth/sasl_mechanism.hpp"
#include "base/base64.hpp"
#include "base/log.hpp"
#include "io/errors.hpp"
#include "io/offload.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"

namespace claret::pop3::server {

namespace {

// A client response is base64 of at most auth::kMaxClientMessage bytes (4/3 of it), with room to spare.
constexpr std::size_t kMaxResponseLine = 8192;

}  // namespace

boost::asio::awaitable<void> cmd_auth(Session& s, proto::AuthArgs args) {
  auto names = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  if (!args.mechanism) {
    s.reply(proto::multiline("Supported mechanisms follow", names));
    co_return;
  }
  const std::string mechanism = *args.mechanism;
  if (std::find(names.begin(), names.end(), mechanism) == names.end()) {
    bool needs_tls = !s.passwords_allowed() && (mechanism == "PLAIN" || mechanism == "LOGIN");
    s.reply(proto::err(needs_tls ? "Plaintext authentication disallowed without TLS (use STLS)"
                                 : "Unsupported authentication mechanism"));
    co_return;
  }
  auto delay = admit_login_attempt(s);
  if (!delay) co_return;

  store::Store& store = s.services().store;
  // The identity the client tried, learnt from the mechanism's lookup, so failures also count per account.
  auto tried = std::make_shared<std::string>();
  auth::CredentialLookup lookup = [&store, tried](std::string_view user) -> std::optional<auth::Credentials> {
    *tried = std::string(user);
    auto account = store.directory().get_account(user);
    if (!account) return std::nullopt;
    return auth::Credentials{account->password_hash, account->scram};
  };
  auto mech = auth::make_mechanism(mechanism, lookup);
  if (!mech) {
    s.reply(proto::err("Unsupported authentication mechanism"));
    co_return;
  }
  auth::SaslMechanism& m = *mech;
  auth::SaslStep step;
  if (args.initial_response) {
    const std::string& initial = *args.initial_response;
    step = co_await io::offload([&m, &initial] { return m.step(initial); });
  } else {
    step = m.start();
  }

  while (step.kind == auth::SaslStepKind::challenge) {
    s.conn().enqueue(proto::challenge(step.data));
    auto flushed = co_await s.flush();
    if (!flushed) co_return;
    s.conn().set_deadline(std::chrono::seconds(s.config().pop3.preauth_timeout_s));
    auto line = co_await s.conn().read_line(kMaxResponseLine, io::OnShutdown::interrupt);
    s.conn().clear_deadline();
    if (!line) {
      if (io::is(line.error(), io::IoErrc::too_long)) {
        s.reply(proto::err("Authentication line too long"));
        co_return;
      }
      if (auto last = io_error_reply(line.error())) s.reply(*last);
      s.closing = true;
      s.close_reason = io::to_string(static_cast<io::IoErrc>(line.error().code));
      co_return;
    }
    if (*line == "*") {  // RFC 5034 §4: the client cancels the exchange
      s.reply(proto::err("Authentication cancelled"));
      co_return;
    }
    auto decoded = base64_decode(*line);
    if (!decoded) {
      s.reply(proto::err("Invalid base64 data"));
      co_return;
    }
    std::string response = std::move(*decoded);
    step = co_await io::offload([&m, &response] { return m.step(response); });
  }

  if (step.kind == auth::SaslStepKind::success) {
    co_await login_succeeded(s, step.authcid, mechanism);
    co_return;
  }
  if (step.reason == auth::kMalformed) {
    log::info("pop3.auth.malformed", {{"cid", s.cid()}, {"mechanism", mechanism}, {"detail", step.detail}});
    s.reply(proto::err("Malformed authentication data"));
    co_return;
  }
  co_await login_failed(s, *delay, *tried, mechanism, step.detail);
}

}  // namespace claret::pop3::server
