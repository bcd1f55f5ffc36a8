// Webmail wiring shared by `claret webmail` and `claret serve`.
#include "app/webmail_runtime.hpp"

#include "smtp/server/sender_policy.hpp"
#include "store/store.hpp"

#ifdef CLARET_HAVE_IMAP_BACKEND
#include "webmail/imap_backend/imap_backend.hpp"
#endif

namespace claret::app {

webmail::WebmailOptions webmail_options(const config::Config& cfg) {
  webmail::WebmailOptions o;
  o.session_idle = std::chrono::minutes(cfg.webmail.session_idle_minutes);
  o.max_upload_bytes = cfg.webmail.max_upload_bytes;
  o.max_pending_upload_bytes = 2 * cfg.webmail.max_upload_bytes;
  o.message_id_domain = cfg.hostname;
  if (!cfg.data_dir.empty()) o.state_dir = cfg.data_dir / "webmail";
  return o;
}

std::function<std::vector<std::string>(const std::string&)> account_addresses_from(store::Store& store) {
  return [&store](const std::string& username) {
    std::vector<std::string> out;
    auto account = store.directory().get_account(username);
    if (!account) return out;
    auto aliases = store.directory().list_aliases(std::nullopt);
    if (!aliases) return std::vector<std::string>{account->address};
    // Exactly what submission will accept (smtp/server/sender_policy), so the webmail offers no address
    // the SMTP server would refuse.
    return smtp::server::sendable_addresses(account->address, *aliases);
  };
}

namespace {

// Where to connect to reach a listener bound to `address`: wildcard addresses mean loopback.
std::string connect_host(const std::string& address) {
  if (address == "0.0.0.0" || address.empty()) return "127.0.0.1";
  if (address == "::") return "[::1]";
  if (address.find(':') != std::string::npos) return "[" + address + "]";
  return address;
}

// The first of `names` that is enabled and bound, as "scheme://host:port".
std::string local_url(const config::Config& cfg, const std::map<std::string, uint16_t>& ports,
                      std::initializer_list<std::string_view> names) {
  for (auto name : names) {
    const config::Listener* l = cfg.listener(name);
    auto port = ports.find(std::string(name));
    if (!l || !l->enabled || port == ports.end()) continue;
    return std::string(name) + "://" + connect_host(l->address) + ":" + std::to_string(port->second);
  }
  return {};
}

}  // namespace

Result<config::WebmailSettings> loopback_defaults(const config::Config& cfg,
                                                  const std::map<std::string, uint16_t>& ports) {
  config::WebmailSettings s = cfg.webmail;
  bool local = false;
  if (s.imap_url.empty()) {
    s.imap_url = local_url(cfg, ports, {"imaps", "imap"});
    if (s.imap_url.empty()) return make_error("webmail: no imap_url and no imaps/imap listener to use");
    local = true;
  }
  if (s.submission_url.empty()) {
    s.submission_url = local_url(cfg, ports, {"submissions", "submission"});
    if (s.submission_url.empty())
      return make_error("webmail: no submission_url and no submissions/submission listener to use");
    local = true;
  }
  if (local && s.ca_file.empty()) s.verify_certificates = false;
  return s;
}

Result<std::shared_ptr<webmail::MailBackend>> make_webmail_backend(const config::WebmailSettings& s,
                                                                   const std::string& helo_name) {
#ifdef CLARET_HAVE_IMAP_BACKEND
  webmail::ImapBackendOptions o;
  o.imap_url = s.imap_url;
  o.submission_url = s.submission_url;
  o.ca_file = s.ca_file.string();
  o.verify_certificates = s.verify_certificates;
  o.helo_name = helo_name;
  auto backend = webmail::make_imap_backend(std::move(o));
  if (!backend) return make_error("webmail: " + backend.error().message);
  return std::shared_ptr<webmail::MailBackend>(std::move(backend).value());
#else
  (void)s;
  (void)helo_name;
  return make_error("webmail: IMAP backend not built");
#endif
}

}  // namespace claret::app
