// POST /api/login, POST /api/logout, GET /api/session.
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.hpp"
#include "io/offload.hpp"
#include "webmail/server/serialized_session.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

std::string session_json(Call& call, UserSession& s) {
  return json::Builder::object()
      .field("csrf", s.csrf)
      .field("username", s.mail->username())
      .field_raw("identities", identities_json(call.server.sessions.identities(s)))
      .done();
}

// The saved identities plus the addresses the server knows for the account (the login name; inside claret
// serve also its aliases). File and store access are blocking: both run on the offload pool.
Task<std::vector<Identity>> load_identities(WebmailServer::Impl& server, std::string username,
                                            std::vector<std::string> known) {
  auto* impl = &server;
  const std::string* user = &username;
  auto lookup = [impl, user] {
    std::vector<std::string> out;
    if (impl->options.account_addresses) out = impl->options.account_addresses(*user);
    return out;
  };
  std::vector<std::string> extra = co_await io::offload(lookup);
  for (auto& a : extra) known.push_back(std::move(a));
  auto load = [impl, user] { return impl->identities.load(*user); };
  std::optional<std::vector<Identity>> stored = co_await io::offload(load);
  co_return merge_identities(stored ? std::move(*stored) : std::vector<Identity>(), known);
}

std::string cookie(const Call& call, const std::string& value, bool clear) {
  std::string c = "claret_session=" + value + "; Path=/; HttpOnly; SameSite=Strict";
  if (call.server.options.secure_cookie) c += "; Secure";
  if (clear) c += "; Max-Age=0";
  return c;
}

void log_login(const char* event, const std::string& user, const std::string& ip) {
  log::info(event, {{"user", user}, {"ip", ip}});
}

void log_expired(const std::string& user) { log::info("webmail.session_expired", {{"user", user}}); }

// One per session, on the session's strand: expires the session at its idle deadline — a timer, so the IMAP
// connections get their LOGOUT at once instead of at some later lookup — and logs them out. A logout
// wakes it early (it ends without a second LOGOUT: api_logout does that one).
Task<void> expiry_timer(SessionTable* table, std::shared_ptr<UserSession> session) {
  auto executor = co_await boost::asio::this_coro::executor;
  auto timer = std::make_shared<boost::asio::steady_timer>(executor);
  uint64_t listener = table->on_close(*session, [executor, timer] {
    boost::asio::post(executor, [timer] { timer->cancel(); });
  });
  for (;;) {
    auto deadline = table->deadline(*session);
    if (!deadline) break;
    if (SessionTable::Clock::now() > *deadline) {
      if (table->expire_if_idle(*session)) break;
      continue;
    }
    timer->expires_at(*deadline + std::chrono::milliseconds(1));
    (void)co_await timer->async_wait(boost::asio::as_tuple(boost::asio::use_awaitable));
  }
  table->remove_close_listener(*session, listener);
  if (table->is_expired(*session)) {
    log_expired(session->mail->username());
    co_await session->mail->logout();
  }
}

}  // namespace

Reply api_login(Call& call) {
  auto body = json_body(call);
  if (!body) co_return http::Response::error(400, body.error().message);
  auto username = json::string_member(*body, "username");
  auto password = json::string_member(*body, "password");
  if (!username) co_return http::Response::error(400, username.error().message);
  if (!password) co_return http::Response::error(400, password.error().message);
  if (username->empty() || username->size() > 320 || password->empty() || password->size() > 1024)
    co_return http::Response::error(400, "username and password must not be empty");

  auth::ThrottleDecision decision = call.server.throttle->check(call.peer_ip, *username);
  if (decision.action == auth::ThrottleAction::reject) {
    http::Response r = http::Response::error(429, "too many failed logins; try again later");
    r.set("Retry-After", std::to_string(decision.retry_after.count()));
    co_return r;
  }
  auto result = co_await call.server.backend->login(*username, *password);
  if (decision.action == auth::ThrottleAction::delay) {
    auto executor = co_await boost::asio::this_coro::executor;
    boost::asio::steady_timer timer(executor, decision.delay);
    co_await timer.async_wait(boost::asio::use_awaitable);
  }
  if (!result) {
    if (result.error().code == kAuthFailed) {
      call.server.throttle->record_failure(call.peer_ip, *username);
      log_login("webmail.login_failed", *username, call.peer_ip);
      co_return http::Response::error(401, "wrong username or password");
    }
    co_return backend_error(result.error());
  }
  call.server.throttle->record_success(call.peer_ip, *username);
  // This connection's strand becomes the user's: every later backend call of the session runs there.
  auto strand = co_await boost::asio::this_coro::executor;
  std::vector<std::string> known = result.value()->identities();
  std::vector<Identity> identities = co_await load_identities(call.server, *username, std::move(known));
  auto session = call.server.sessions.create(serialize_on(strand, std::move(result).value()));
  if (!session) co_return http::Response::error(503, "too many sessions; try again later");
  call.server.sessions.set_identities(*session, std::move(identities));
  SessionTable* table = &call.server.sessions;
  boost::asio::co_spawn(strand, expiry_timer(table, session), boost::asio::detached);
  log_login("webmail.login", *username, call.peer_ip);
  http::Response r = http::Response::json(200, session_json(call, *session));
  r.set("Set-Cookie", cookie(call, session->id, false));
  co_return r;
}

Reply api_logout(Call& call) {
  auto session = call.server.sessions.remove(call.user->id);
  if (session) co_await session->mail->logout();
  http::Response r = http::Response::json(200, "{}");
  r.set("Set-Cookie", cookie(call, "", true));
  co_return r;
}

Reply api_session(Call& call) { co_return http::Response::json(200, session_json(call, *call.user)); }

}  // namespace claret::webmail
