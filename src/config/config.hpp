// The claret configuration: one TOML file (see default_config.cpp for the commented template).
// Every limit the protocol sessions enforce lives here, never in the sessions (DESIGN.md §4).
#pragma once

#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"

namespace claret::config {

enum class TlsMode { none, starttls, implicit };

std::string_view to_string(TlsMode mode);

// One listening socket. `protocol` is derived from the listener's name (smtp, submission, submissions,
// lmtp, imap, imaps, pop3, pop3s, http, https).
struct Listener {
  std::string name;
  bool enabled = true;
  std::string address = "127.0.0.1";
  uint16_t port = 0;  // 0 = an ephemeral port, reported in the ready line
  TlsMode tls = TlsMode::none;
};

struct ConnectionLimits {
  uint32_t per_ip = 50;      // concurrent connections from one address, all listeners together
  uint32_t total = 10000;    // concurrent connections overall
  // Commands per second from one address, all protocols together (auth::CommandRate): past the burst, commands
  // wait their turn at this rate (they are delayed, never refused). 0 = no limit.
  uint32_t commands_per_second = 1000;
  uint32_t command_burst = 10000;
};

struct AuthLimits {
  bool allow_plaintext_on_loopback = false;  // accept passwords without TLS from 127.0.0.0/8 and ::1
  uint32_t failures_before_delay = 3;        // per IP and per account, within `failure_window_s`
  uint32_t failures_before_block = 20;
  uint32_t failure_window_s = 900;
  // Verified-credentials cache (auth::VerifiedCache): a repeated login with the same password skips Argon2id
  // for this long after a successful verification; 0 = off. A password change takes effect at once.
  uint32_t cache_ttl_s = 3600;
  uint32_t cache_size = 10000;  // entries (logins remembered), least recently used evicted
};

// RFC 5321 §4.5.3: sizes and server timeouts.
struct SmtpLimits {
  uint64_t max_message_size = 50ull * 1024 * 1024;
  uint32_t max_recipients = 1000;
  uint32_t max_line_length = 4096;   // command lines (RFC 5321 §4.5.3.1.4 minimum 512)
  uint32_t max_errors = 20;          // hard error limit, then disconnect
  uint32_t command_timeout_s = 300;  // §4.5.3.2.7: at least 5 minutes
  uint32_t data_timeout_s = 600;     // §4.5.3.2.6 / data block: whole DATA phase deadline
  // Port 25 only: wait this long before the 220 greeting; a client that talks first is refused
  // (RFC 5321 §4.3.1; Postfix postscreen's pregreet test). 0 = check only what arrived at connect.
  uint32_t greet_pause_ms = 0;
};

// RFC 9051 §5.4: at least 30 minutes of inactivity when authenticated.
struct ImapLimits {
  uint64_t max_literal_size = 50ull * 1024 * 1024;
  uint32_t max_line_length = 65536;
  uint32_t max_errors = 20;
  uint32_t preauth_timeout_s = 60;
  uint32_t idle_timeout_s = 1800;
  // IDLE: seconds between checks for commits by other processes (`claret deliver`, the admin CLI), which the
  // in-process change bus does not carry. A check is a memory compare unless something was committed meanwhile.
  uint32_t idle_poll_s = 30;
};

struct Pop3Limits {
  uint32_t max_line_length = 512;  // RFC 2449 §4: 255 octets of argument per command
  uint32_t max_errors = 20;
  uint32_t preauth_timeout_s = 60;
  uint32_t idle_timeout_s = 600;  // RFC 1939 §3: at least 10 minutes
};

// One relay host of [queue.routes] (a per-domain smarthost). TLS is always required and verified.
struct RelayRoute {
  std::string host_port;                 // "host:port" (IPv6 literal as "[addr]:port")
  std::string user;                      // AUTH PLAIN when set
  std::string password;
  bool implicit_tls = false;             // tls = "implicit" (port 465) instead of STARTTLS
  std::filesystem::path ca_file;         // PEM to verify it with; "" = system CAs
};

// [queue]: outbound delivery (RFC 5321 §4.5.4.1 retry strategy, RFC 3461 delay warnings).
struct QueueSettings {
  uint32_t lifetime_s = 5 * 86400;       // give up (bounce) after this long
  uint32_t delay_warning_s = 4 * 3600;   // one delay DSN after this long; 0 = never
  uint32_t retry_min_s = 60;             // first retry; doubles each attempt…
  uint32_t retry_max_s = 3600;           // …up to this
  uint32_t max_connections = 20;         // outbound SMTP sessions at once
  uint32_t max_per_domain = 4;           // sessions at once to one domain
  uint16_t smtp_port = 25;               // port of remote MX hosts (tests point it at a local sink)
  std::vector<std::string> require_tls;  // domains whose MX must offer STARTTLS (else: retry, then bounce)
  std::vector<std::string> dns_servers;  // "ip" or "ip:port"; empty = /etc/resolv.conf
  std::string smarthost;                 // "host:port": relay all remote mail there (with TLS); "" = MX routing
  std::string smarthost_user;            // AUTH PLAIN credentials for the smarthost ("" = no AUTH)
  std::string smarthost_password;
  bool smarthost_implicit_tls = false;   // smarthost_tls = "implicit" (port 465, RFC 8314) instead of STARTTLS
  std::filesystem::path smarthost_ca_file;  // PEM: the relay's private CA or self-signed cert; "" = system CAs
  // [queue.routes]: destination domain (lower case) → its own relay; wins over `smarthost` and MX routing.
  std::map<std::string, RelayRoute> routes;
};

// [webmail]: the webmail web server (issue #7). It talks IMAP and submission to a mail server like any
// client: in `claret serve` by default to this same server over loopback; `claret webmail` needs the URLs.
struct WebmailSettings {
  bool enabled = false;                   // claret serve: the http/https listeners serve the webmail (else 503)
  std::string imap_url;                   // imaps://host:port or imap://host:port (STARTTLS); "" = this server
  std::string submission_url;             // submissions://host:port or submission://host:port; "" = this server
  std::filesystem::path ca_file;          // PEM bundle to verify those servers; "" = system store (or our cert)
  bool verify_certificates = true;
  uint32_t session_idle_minutes = 30;     // browser sessions idle this long are logged out
  uint64_t max_upload_bytes = 25ull * 1024 * 1024;  // one attachment upload
};

// [security]
struct SecuritySettings {
  // claret serve confines itself with Landlock after startup: writes only beneath data_dir (src/io/sandbox.hpp).
  bool sandbox = true;
};

struct Config {
  std::filesystem::path file;         // where it was loaded from ("" when parsed from text)
  std::string hostname;               // this server's name (greeting, Received, HELO)
  std::string primary_domain;         // the domain `claret init` created
  std::filesystem::path data_dir;     // absolute; relative paths in the file are relative to the file
  std::string user;                   // unprivileged user to run as when started as root ("" = stay)
  std::filesystem::path tls_cert;
  std::filesystem::path tls_key;
  std::string log_level = "info";
  uint32_t io_threads = 0;            // 0 = one per core
  // Threads for blocking work (store writes waiting for group commit, fsync, MIME parsing). Each in-flight
  // delivery holds one while it waits for its batch, so this bounds how many messages one commit can carry.
  uint32_t blocking_threads = 64;
  std::vector<Listener> listeners;
  ConnectionLimits connections;
  AuthLimits auth;
  SmtpLimits smtp;
  ImapLimits imap;
  Pop3Limits pop3;
  QueueSettings queue;
  WebmailSettings webmail;
  SecuritySettings security;

  const Listener* listener(std::string_view name) const;
};

// The names a [listeners.NAME] table may have, with the protocol's standard port and TLS mode.
struct ListenerKind {
  std::string_view name;
  uint16_t standard_port;
  TlsMode default_tls;
};
const std::vector<ListenerKind>& listener_kinds();

// Checks a webmail server URL: scheme one of `schemes`, then host[:port] (IPv6 in brackets), nothing else.
// Returns an error message, or "" when valid.
std::string check_server_url(std::string_view url, std::initializer_list<std::string_view> schemes);

// Parses and validates. Errors read "FILE:LINE:COL: message" (or "LINE:COL: message" for text).
Result<Config> parse(std::string_view text, const std::filesystem::path& file);
Result<Config> load(const std::filesystem::path& file);

}  // namespace claret::config
