// Service-not-available greetings for listeners whose protocol is not served by this build.
#include "app/unavailable_session.hpp"

#include "base/log.hpp"
#include "io/connection.hpp"

namespace claret::app {

std::string unavailable_reply(std::string_view listener, std::string_view hostname) {
  std::string host(hostname);
  if (listener == "smtp" || listener == "submission" || listener == "submissions" || listener == "lmtp")
    return "421 4.3.2 " + host + " Service not available, closing transmission channel\r\n";
  if (listener == "imap" || listener == "imaps") return "* BYE [UNAVAILABLE] " + host + " IMAP service not available\r\n";
  if (listener == "pop3" || listener == "pop3s") return "-ERR [SYS/TEMP] " + host + " POP3 service not available\r\n";
  return "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain\r\nContent-Length: 25\r\nConnection: close\r\n"
         "\r\nService not available.\r\n\r\n";
}

namespace {

// A plain coroutine with parameters by value: nothing it uses can dangle (no captures in coroutine lambdas).
boost::asio::awaitable<void> run_unavailable(io::Connection& conn, io::SessionContext& ctx, std::string reply) {
  log::info("serve.session.unavailable", {{"cid", ctx.connection_id}, {"listener", ctx.listener}});
  co_await conn.write(reply);
  co_await conn.close();
}

}  // namespace

io::SessionFn unavailable_session(std::string reply) {
  return [reply = std::move(reply)](io::Connection& conn, io::SessionContext& ctx) {
    return run_unavailable(conn, ctx, reply);
  };
}

}  // namespace claret::app
