// AUTH (RFC 4954 §4, §6) for submission: SASL PLAIN, LOGIN, SCRAM-SHA-256 through auth/, with login throttling;
// the session then knows the account and the addresses it may send as.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>

#include <algorithm>
#include <memory>

#include "auth/sasl_mechanism.hpp"
#include "base/base64.hpp"
#include "base/log.hpp"
#include "io/offload.hpp"
#include "smtp/proto/reply_codes.hpp"
#include "smtp/server/commands/commands.hpp"
#include "smtp/server/error_map.hpp"
#include "smtp/server/sender_policy.hpp"

namespace claret::smtp::server {

namespace code = proto::code;
namespace enh = proto::enhanced;

namespace {

// RFC 4954 §4: the server must accept client responses of at least 12288 octets.
constexpr std::size_t kMaxResponseLine = 12288;

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

// Account and sendable addresses after a successful exchange (blocking: runs offloaded).
Result<AuthIdentity> load_identity(store::Store& store, const std::string& authcid) {
  auto account = store.directory().get_account(authcid);
  if (!account) return account.error();
  // Every domain's aliases: an alias in another hosted domain may point at this account too.
  auto aliases = store.directory().list_aliases(std::nullopt);
  if (!aliases) return aliases.error();
  return AuthIdentity{account->id, account->address, sendable_addresses(account->address, *aliases)};
}

}  // namespace

boost::asio::awaitable<void> cmd_auth(Session& s, proto::AuthArgs args) {
  if (s.auth) {
    s.reply(proto::make_reply(code::kBadSequence, enh::kInvalidCommand, "Already authenticated"));
    co_return;
  }
  auto names = auth::mechanism_names(s.tls(), s.plaintext_allowed());
  if (std::find(names.begin(), names.end(), args.mechanism) == names.end()) {
    s.reply(proto::make_reply(code::kParamNotImplemented, enh::kInvalidArguments, "Unrecognized authentication type"));
    co_return;
  }
  const std::string ip = s.peer();
  auto& throttle = s.services().throttle;
  auto decision = throttle.check(ip, "");
  if (decision.action == auth::ThrottleAction::reject) {
    s.reply(proto::make_reply(code::kTempAuthFailure, enh::kTempAuthFailure, "Too many failed attempts, try later"));
    co_return;
  }

  store::Store& store = s.services().store;
  // The identity the client tried, learnt from the mechanism's lookup, so failures also count per account.
  auto tried = std::make_shared<std::string>();
  auth::CredentialLookup lookup = [&store, tried](std::string_view user) -> std::optional<auth::Credentials> {
    *tried = std::string(user);
    auto account = store.directory().get_account(user);
    if (!account) return std::nullopt;
    return auth::Credentials{account->password_hash, account->scram};
  };
  auto mech = auth::make_mechanism(args.mechanism, lookup);
  if (!mech) {
    s.reply(proto::make_reply(code::kParamNotImplemented, enh::kInvalidArguments, "Unrecognized authentication type"));
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
    s.conn().enqueue(std::to_string(code::kAuthChallenge) + " " + base64_encode(step.data) + "\r\n");
    auto flushed = co_await s.flush();
    if (!flushed) {
      s.close_reason = "network";
      co_return;
    }
    s.conn().set_deadline(std::chrono::seconds(s.config().smtp.command_timeout_s));
    auto line = co_await s.conn().read_line(kMaxResponseLine, io::OnShutdown::interrupt);
    s.conn().clear_deadline();
    if (!line) {
      if (io::is(line.error(), io::IoErrc::too_long)) {
        s.reply(proto::make_reply(code::kSyntaxError, enh::kAuthLineTooLong, "Authentication line too long"));
        co_return;
      }
      if (auto last = io_error_reply(line.error())) s.reply(*last);
      s.closing = true;
      s.close_reason = io::to_string(static_cast<io::IoErrc>(line.error().code));
      co_return;
    }
    if (*line == "*") {  // RFC 4954 §4: the client cancels
      s.reply(proto::make_reply(code::kParamSyntaxError, "5.0.0", "Authentication cancelled"));
      co_return;
    }
    auto decoded = base64_decode(*line);
    if (!decoded) {
      s.reply(proto::make_reply(code::kParamSyntaxError, enh::kSyntaxError, "Invalid base64 data"));
      co_return;
    }
    std::string response = std::move(*decoded);
    step = co_await io::offload([&m, &response] { return m.step(response); });
  }

  if (step.kind == auth::SaslStepKind::success) {
    auto identity = co_await io::offload([&store, &step] { return load_identity(store, step.authcid); });
    if (!identity) {
      s.reply(store_error_reply(identity.error(), s.cid(), "smtp.auth.identity_failed"));
      co_return;
    }
    throttle.record_success(ip, step.authcid);
    log::info("smtp.auth.ok", {{"cid", s.cid()}, {"mechanism", args.mechanism}, {"user", identity->address}});
    s.auth = std::move(*identity);
    s.reply(proto::make_reply(code::kAuthSucceeded, enh::kAuthSucceeded, "Authentication successful"));
    co_return;
  }

  // The account is known only now: its own delay (if it is being guessed at) joins the address's.
  auto delay = std::max(decision.delay, throttle.check(ip, *tried).delay);
  throttle.record_failure(ip, *tried);
  log::info("smtp.auth.failed", {{"cid", s.cid()}, {"mechanism", args.mechanism}, {"ip", ip}, {"detail", step.detail}});
  if (delay.count() > 0) co_await sleep_for(delay);
  if (step.reason == auth::kMalformed)
    s.reply(proto::make_reply(code::kParamSyntaxError, enh::kSyntaxError, "Malformed authentication data"));
  else
    s.reply(proto::make_reply(code::kAuthInvalidCredentials, enh::kAuthInvalidCredentials,
                              "Authentication credentials invalid"));
}

}  // namespace claret::smtp::server
