// WebmailServer: the webmail's HTTP side. Serves the embedded front end and the JSON API of
// docs/webmail-api.md over any io::Connection (claret webmail, or the https listener of claret serve),
// keeping one MailSession per logged-in browser session. It never touches the store: everything goes
// through the MailBackend (IMAP + submission to machine A).
#pragma once

#include <chrono>
#include <cstddef>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "io/server.hpp"
#include "webmail/mail_backend.hpp"

namespace claret::auth {
class LoginThrottle;
}

namespace claret::webmail {

struct WebmailOptions {
  std::chrono::milliseconds session_idle{std::chrono::minutes(30)};  // unused this long: expired, IMAP LOGOUT
  std::size_t max_sessions = 10000;              // logins beyond this are refused (503)
  std::size_t max_json_bytes = 1024 * 1024;      // request bodies of JSON endpoints
  std::size_t max_upload_bytes = 25 * 1024 * 1024;  // one /api/upload body
  std::size_t max_pending_upload_bytes = 50 * 1024 * 1024;  // all uploads of one session together
  std::string message_id_domain = "localhost";   // right side of generated Message-IDs
  bool secure_cookie = true;                     // false only for plain-HTTP tests behind a TLS proxy
  std::chrono::milliseconds events_keepalive{std::chrono::seconds(25)};
  std::chrono::milliseconds request_timeout{std::chrono::seconds(60)};  // reading one request
  std::chrono::milliseconds keepalive_timeout{std::chrono::seconds(75)};  // idle between requests
  // Where the users' sender identities are kept (one file per user); empty: in memory only.
  std::filesystem::path state_dir;
  // Inside claret serve: the addresses an account may send as (its own and its aliases), looked up in the
  // store by the caller's code — the webmail never touches the store. Blocking; called on the offload pool.
  // Unset for a standalone webmail, which only knows the login name.
  std::function<std::vector<std::string>(const std::string& username)> account_addresses;
};

class WebmailServer {
 public:
  // `throttle` may be shared with the other protocols (claret serve); nullptr: the server owns one.
  WebmailServer(WebmailOptions options, std::shared_ptr<MailBackend> backend, auth::LoginThrottle* throttle = nullptr);
  ~WebmailServer();
  WebmailServer(const WebmailServer&) = delete;
  WebmailServer& operator=(const WebmailServer&) = delete;

  // The HTTP/1.1 session for a listener (TLS, if any, is the listener's business).
  io::SessionFn session();
  std::size_t session_count() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace claret::webmail
