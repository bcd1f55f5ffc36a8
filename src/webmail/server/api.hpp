// Internal to webmail/server: the server state shared by every request, one request's context (Call),
// and the endpoint handlers (api_*.cpp). Not included outside this directory.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "auth/login_throttle.hpp"
#include "io/connection.hpp"
#include "webmail/http/request.hpp"
#include "webmail/http/response.hpp"
#include "webmail/mail_backend.hpp"
#include "webmail/server/identities.hpp"
#include "webmail/server/json.hpp"
#include "webmail/server/user_sessions.hpp"
#include "webmail/server/webmail_server.hpp"

namespace claret::webmail {

struct WebmailServer::Impl {
  WebmailOptions options;
  std::shared_ptr<MailBackend> backend;
  std::unique_ptr<auth::LoginThrottle> own_throttle;
  auth::LoginThrottle* throttle = nullptr;
  SessionTable sessions;
  IdentityStore identities;

  Impl(WebmailOptions o, std::shared_ptr<MailBackend> b, auth::LoginThrottle* t);
};

// One request. Handlers return the response; a handler that streamed its answer itself (part, events)
// returns a Response with status 0.
struct Call {
  WebmailServer::Impl& server;
  io::Connection& conn;
  const http::Request& req;
  std::string peer_ip;
  bool keep_alive = true;
  std::shared_ptr<UserSession> user;  // set for endpoints that need a session
  bool shutdown_requested = false;
};

using Reply = Task<http::Response>;

// Security headers of docs/webmail-api.md, added to every response.
void add_security_headers(http::Response& r);
// Writes a response (security headers added); false when the connection is gone.
Task<bool> write_response(Call& call, http::Response r);

// A backend Error as an HTTP error: kAuthFailed → 401, kNotFound → 404, anything else → 502.
http::Response backend_error(const Error& e);
// The JSON body of a POST, or a 400 response.
Result<json::Value> json_body(const Call& call);
// Query helpers: a required folder, a required uid; nullopt + the 400 response in `error`.
std::optional<std::string> folder_param(const Call& call, http::Response& error);
std::optional<uint32_t> uid_param(const Call& call, http::Response& error);

// Summary/Addr/Part/Folder as JSON (docs/webmail-api.md).
std::string summary_json(const MessageSummary& s);
std::string addresses_json(const std::vector<Address>& list);
std::string part_json(const Part& p);

// api_session.cpp
Reply api_login(Call& call);
Reply api_logout(Call& call);
Reply api_session(Call& call);
// api_identities.cpp
Reply api_identities(Call& call);
Reply api_identities_save(Call& call);
// api_folders.cpp
Reply api_folders(Call& call);
Reply api_folder_create(Call& call);
Reply api_folder_rename(Call& call);
Reply api_folder_delete(Call& call);
// api_messages.cpp
Reply api_messages(Call& call);
Reply api_message(Call& call);
Reply api_message_html(Call& call);
Reply api_thread(Call& call);
Reply api_raw(Call& call);
Reply api_part(Call& call);
// api_actions.cpp
Reply api_flags(Call& call);
Reply api_move(Call& call);
Reply api_copy(Call& call);
Reply api_delete(Call& call);
// api_compose.cpp
Reply api_send(Call& call);
Reply api_draft(Call& call);
Reply api_upload(Call& call);
// api_events.cpp
Reply api_events(Call& call);
// static_files.cpp
http::Response static_file(const http::Request& req);

}  // namespace claret::webmail
