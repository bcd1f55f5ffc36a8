// LOGIN and AUTHENTICATE's shared steps: throttling (auth::LoginThrottle), credential lookup, the answers.
#include "imap/server/login_common.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.hpp"
#include "imap/proto/response_codes.hpp"

namespace claret::imap::server {

namespace {

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

}  // namespace

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

}  // namespace claret::imap::server
