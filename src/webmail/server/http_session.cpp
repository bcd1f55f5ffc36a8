// The HTTP/1.1 connection loop (keep-alive, one request at a time) and the routing table: which endpoint
// needs a session, which needs the CSRF header, and how large its body may be.
#include <string_view>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "webmail/server/api.hpp"

namespace claret::webmail {
namespace {

struct Route {
  std::string_view method;
  std::string_view path;
  Reply (*handler)(Call&);
  bool needs_session;
};

// POSTs other than login need the CSRF header (checked after the session, so 401 wins over 403).
const Route kRoutes[] = {
    {"POST", "/api/login", api_login, false},
    {"POST", "/api/logout", api_logout, true},
    {"GET", "/api/session", api_session, true},
    {"GET", "/api/identities", api_identities, true},
    {"POST", "/api/identities", api_identities_save, true},
    {"GET", "/api/folders", api_folders, true},
    {"POST", "/api/folders", api_folder_create, true},
    {"POST", "/api/folders/rename", api_folder_rename, true},
    {"POST", "/api/folders/delete", api_folder_delete, true},
    {"GET", "/api/messages", api_messages, true},
    {"GET", "/api/message", api_message, true},
    {"GET", "/api/message_html", api_message_html, true},
    {"GET", "/api/thread", api_thread, true},
    {"GET", "/api/raw", api_raw, true},
    {"GET", "/api/part", api_part, true},
    {"POST", "/api/flags", api_flags, true},
    {"POST", "/api/move", api_move, true},
    {"POST", "/api/copy", api_copy, true},
    {"POST", "/api/delete", api_delete, true},
    {"POST", "/api/send", api_send, true},
    {"POST", "/api/draft", api_draft, true},
    {"POST", "/api/upload", api_upload, true},
    {"GET", "/api/events", api_events, true},
};

std::string cookie_value(const http::Request& req, std::string_view name) {
  for (const auto& [k, v] : req.headers) {
    if (k != "cookie") continue;
    for (auto part : split(v, ';')) {
      part = trim(part);
      auto eq = part.find('=');
      if (eq != std::string_view::npos && part.substr(0, eq) == name) return std::string(part.substr(eq + 1));
    }
  }
  return {};
}

Reply dispatch(Call& call) {
  const http::Request& req = call.req;
  const Route* route = nullptr;
  bool path_known = false;
  for (const auto& r : kRoutes) {
    if (r.path != req.path) continue;
    path_known = true;
    if (r.method == req.method || (r.method == "GET" && req.method == "HEAD")) route = &r;
  }
  if (!route) {
    if (path_known) {
      http::Response r = http::Response::error(405, "method not allowed");
      co_return r;
    }
    if (req.path.starts_with("/api/")) co_return http::Response::error(404, "no such endpoint");
    if (req.method != "GET" && req.method != "HEAD") co_return http::Response::error(405, "method not allowed");
    co_return static_file(req);
  }
  if (route->needs_session) {
    call.user = call.server.sessions.find(cookie_value(req, "claret_session"), route->handler != api_events);
    if (!call.user) co_return http::Response::error(401, "not logged in or session expired");
    if (req.method == "POST") {
      auto token = req.header("x-csrf-token");
      if (!token || !constant_time_equal(std::string(*token), call.user->csrf))
        co_return http::Response::error(403, "missing or wrong X-CSRF-Token");
    }
  }
  co_return co_await route->handler(call);
}

void log_request(const http::Request& req, int status) {
  log::debug("webmail.request", {{"method", req.method}, {"path", req.path}, {"status", status}});
}

std::size_t body_limit(const WebmailOptions& o, const http::Request& req) {
  return req.path == "/api/upload" ? o.max_upload_bytes : o.max_json_bytes;
}

Task<void> serve_connection(std::shared_ptr<WebmailServer::Impl> server, io::Connection& conn,
                            io::SessionContext& ctx) {
  http::ParserLimits limits;
  limits.max_body_bytes = server->options.max_json_bytes;
  http::RequestParser parser(limits);
  const WebmailOptions& options = server->options;
  parser.set_body_limit([&options](const http::Request& req) { return body_limit(options, req); });
  for (;;) {
    // Read until a whole request is there; the body limit depends on the endpoint.
    conn.set_idle_timeout(server->options.keepalive_timeout);
    bool reading = false;
    while (parser.state() == http::RequestParser::State::need_more) {
      if (parser.has_buffered() && !reading) {
        reading = true;
        conn.set_idle_timeout(server->options.request_timeout);  // a request has started
      }
      if (parser.has_buffered() && parser.feed("") != http::RequestParser::State::need_more) break;
      auto data = co_await conn.read_some();
      if (!data) co_return;  // closed, timeout or shutdown
      parser.feed(*data);
    }
    if (parser.state() == http::RequestParser::State::error) {
      http::Response r = http::Response::error(parser.error_status(), parser.error_message());
      add_security_headers(r);
      co_await conn.write(http::serialize(r, false));
      co_return;
    }
    http::Request req = parser.take();
    Call call{*server, conn, req, conn.peer_address(), req.keep_alive && !ctx.shutdown.requested(), nullptr,
              false};
    http::Response response = co_await dispatch(call);
    if (response.status != 0) {
      if (req.method == "HEAD") {
        add_security_headers(response);
        auto st = co_await conn.write(http::serialize(response, call.keep_alive, true));
        if (!st) co_return;
      } else {
        bool ok = co_await write_response(call, std::move(response));
        if (!ok) co_return;
      }
    }
    log_request(req, response.status);
    if (!call.keep_alive || ctx.shutdown.requested()) co_return;
  }
}

}  // namespace

WebmailServer::Impl::Impl(WebmailOptions o, std::shared_ptr<MailBackend> b, auth::LoginThrottle* t)
    : options(std::move(o)), backend(std::move(b)), throttle(t), sessions(options.session_idle, options.max_sessions),
      identities(options.state_dir) {
  if (!throttle) {
    own_throttle = std::make_unique<auth::LoginThrottle>(auth::ThrottleLimits{});
    throttle = own_throttle.get();
  }
}

WebmailServer::WebmailServer(WebmailOptions options, std::shared_ptr<MailBackend> backend, auth::LoginThrottle* throttle)
    : impl_(std::make_shared<Impl>(std::move(options), std::move(backend), throttle)) {}

WebmailServer::~WebmailServer() = default;

io::SessionFn WebmailServer::session() {
  std::shared_ptr<Impl> impl = impl_;
  return [impl](io::Connection& conn, io::SessionContext& ctx) { return serve_connection(impl, conn, ctx); };
}

std::size_t WebmailServer::session_count() const { return impl_->sessions.size(); }

}  // namespace claret::webmail
