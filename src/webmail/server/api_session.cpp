// POST /api/login, POST /api/logout, GET /api/session.
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include "base/log.hpp"
#include "webmail/server/serialized_session.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

std::string session_json(const UserSession& s) {
  return json::Builder::object()
      .field("csrf", s.csrf)
      .field("username", s.mail->username())
      .field_raw("identities", json::string_array(s.mail->identities()))
      .done();
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
  auto session = call.server.sessions.create(serialize_on(strand, std::move(result).value()));
  if (!session) co_return http::Response::error(503, "too many sessions; try again later");
  log_login("webmail.login", *username, call.peer_ip);
  http::Response r = http::Response::json(200, session_json(*session));
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

Reply api_session(Call& call) { co_return http::Response::json(200, session_json(*call.user)); }

}  // namespace claret::webmail
