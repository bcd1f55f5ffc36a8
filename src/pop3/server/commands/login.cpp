// Shared login steps for USER/PASS and AUTH: throttling (auth/ LoginThrottle), the RFC 3206 §5 [AUTH] failure
// response, and opening the maildrop when TRANSACTION begins (RFC 1939 §4, §7).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.hpp"
#include "io/offload.hpp"
#include "pop3/proto/response.hpp"
#include "pop3/server/commands/commands.hpp"
#include "pop3/server/error_map.hpp"
#include "store/errc.hpp"

namespace claret::pop3::server {

namespace {

boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds delay) {
  boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor, delay);
  (void)co_await timer.async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
}

struct OpenedMaildrop {
  store::Account account;
  std::unique_ptr<store::MailStore> mail;
  Maildrop maildrop;
};

// Blocking: runs offloaded.
Result<OpenedMaildrop> open_maildrop(store::Store& store, const std::string& authcid) {
  auto account = store.directory().get_account(authcid);
  if (!account) return account.error();
  auto mail = store.mail(account->id);
  if (!mail) return mail.error();
  auto drop = load_maildrop(**mail);
  if (!drop) return drop.error();
  return OpenedMaildrop{std::move(*account), std::move(*mail), std::move(*drop)};
}

}  // namespace

std::optional<std::chrono::milliseconds> admit_login_attempt(Session& s) {
  auto decision = s.services().throttle.check(s.peer(), "");
  if (decision.action == auth::ThrottleAction::reject) {
    log::info("pop3.auth.throttled", {{"cid", s.cid()}, {"ip", s.peer()}});
    s.reply(proto::err("Too many failed logins, try again later", proto::RespCode::sys_temp));
    return std::nullopt;
  }
  return decision.delay;
}

boost::asio::awaitable<void> login_failed(Session& s, std::chrono::milliseconds delay, std::string tried,
                                          std::string_view mechanism, std::string_view detail) {
  auto& throttle = s.services().throttle;
  const std::string ip = s.peer();
  // The account is known only now: its own delay (if it is being guessed at) joins the address's.
  delay = std::max(delay, throttle.check(ip, tried).delay);
  throttle.record_failure(ip, tried);
  log::info("pop3.auth.failed", {{"cid", s.cid()}, {"mechanism", mechanism}, {"ip", ip}, {"detail", detail}});
  if (delay.count() > 0) co_await sleep_for(delay);
  s.reply(proto::err("Authentication failed", proto::RespCode::auth));
}

boost::asio::awaitable<void> login_succeeded(Session& s, std::string authcid, std::string_view mechanism) {
  store::Store& store = s.services().store;
  auto opened = co_await io::offload([&store, &authcid] { return open_maildrop(store, authcid); });
  if (!opened) {
    s.reply(store_error_reply(opened.error(), s.cid(), "pop3.maildrop.open_failed"));
    co_return;
  }
  s.services().throttle.record_success(s.peer(), authcid);
  s.user = opened->account.address;
  s.account = opened->account.id;
  s.mail = std::move(opened->mail);
  s.maildrop = std::move(opened->maildrop);
  s.pending_user.reset();
  s.state = State::transaction;
  log::info("pop3.auth.ok", {{"cid", s.cid()},
                             {"mechanism", mechanism},
                             {"user", s.user},
                             {"messages", s.maildrop.count()}});
  s.reply(proto::ok("Logged in, " + std::to_string(s.maildrop.live_count()) + " messages (" +
                    std::to_string(s.maildrop.live_size()) + " octets)"));
}

}  // namespace claret::pop3::server
