// make_imap_backend: parses the URLs and builds the TLS client context once; login() opens a session.
#include "webmail/imap_backend/imap_backend.hpp"

#include "tls/context.hpp"
#include "webmail/imap_backend/imap_session.hpp"

namespace claret::webmail {

namespace {

class ImapBackend : public MailBackend {
 public:
  explicit ImapBackend(std::shared_ptr<const ImapEndpoints> endpoints) : endpoints_(std::move(endpoints)) {}

  Task<Result<std::unique_ptr<MailSession>>> login(std::string username, std::string password) override {
    if (username.empty() || password.empty()) co_return Error{kAuthFailed, "User name and password are required"};
    auto session = std::make_unique<ImapSession>(endpoints_, std::move(username), std::move(password));
    auto st = co_await session->open();
    if (!st) co_return st.error();
    co_return std::unique_ptr<MailSession>(std::move(session));
  }

 private:
  std::shared_ptr<const ImapEndpoints> endpoints_;
};

}  // namespace

Result<std::unique_ptr<MailBackend>> make_imap_backend(ImapBackendOptions options) {
  auto imap = parse_server_url(options.imap_url, "imap");
  if (!imap) return imap.error();
  auto submission = parse_server_url(options.submission_url, "submission");
  if (!submission) return submission.error();
  auto tls = tls::TlsContext::client(tls::ClientOptions{options.ca_file, options.verify_certificates});
  if (!tls) return make_error("webmail TLS client context: " + tls.error().message);
  auto endpoints = std::make_shared<ImapEndpoints>();
  endpoints->imap = std::move(*imap);
  endpoints->submission = std::move(*submission);
  endpoints->tls = std::move(*tls);
  endpoints->timeout = options.timeout;
  endpoints->helo_name = options.helo_name;
  return std::unique_ptr<MailBackend>(std::make_unique<ImapBackend>(std::move(endpoints)));
}

}  // namespace claret::webmail
