// The commented configuration template written by `claret init`.
#include "config/default_config.hpp"

#include <sstream>

#include "config/config.hpp"

namespace claret::config {

std::string default_config_text(const InitOptions& o) {
  std::ostringstream s;
  s << "# claret configuration. `claret config check --config FILE` validates it.\n"
       "# Relative paths are relative to this file.\n\n"
       "# This server's host name: SMTP greeting, HELO, Received headers, certificate name.\n"
    << "hostname = \"" << o.hostname << "\"\n"
    << "# The first mail domain (more with `claret domain add`).\n"
    << "domain = \"" << o.domain << "\"\n"
    << "# Database (claret.db), message blobs and queue live here.\n"
    << "data_dir = \"" << o.data_dir << "\"\n"
    << "# When started as root, claret binds its ports and then runs as this user (\"\" = don't switch).\n"
       "user = \"\"\n"
       "# Event-loop threads; 0 = one per core.\n"
       "io_threads = 0\n"
       "# Threads for blocking work (disk writes, group commit waits, parsing); bounds deliveries in flight.\n"
       "blocking_threads = 64\n\n"
       "[tls]\n"
       "# PEM certificate chain and private key. SIGHUP reloads them without dropping connections.\n"
       "cert = \"tls/cert.pem\"\n"
       "key = \"tls/key.pem\"\n\n"
       "[log]\n"
       "level = \"info\"  # debug, info, warn, error\n\n"
       "[auth]\n"
       "# Passwords are never accepted without TLS, except from 127.0.0.0/8 and ::1 when this is true.\n"
    << "allow_plaintext_on_loopback = " << (o.allow_plaintext_on_loopback ? "true" : "false") << "\n"
    << "# Failed logins per IP and per account within the window: first slowed down, then refused.\n"
       "failures_before_delay = 3\n"
       "failures_before_block = 20\n"
       "failure_window_s = 900\n\n"
       "# Listeners. tls = \"none\", \"starttls\" (plain, upgraded by STARTTLS/STLS) or \"implicit\" (TLS from\n"
       "# the first byte). port = 0 picks a free port, reported in the ready line `claret serve` prints.\n";
  for (const auto& kind : listener_kinds()) {
    s << "\n[listeners." << kind.name << "]\n"
      << "address = \"" << (kind.name == "lmtp" ? std::string("127.0.0.1") : o.listen_address) << "\"\n"
      << "port = " << (o.port_offset ? o.port_offset + kind.standard_port : kind.standard_port) << "\n"
      << "tls = \"" << to_string(kind.default_tls) << "\"\n";
    if (kind.name == "http") s << "enabled = false  # webmail without TLS: only behind a TLS proxy\n";
  }
  s << "\n[limits.connections]\n"
       "per_ip = 50\n"
       "total = 10000\n\n"
       "[limits.smtp]\n"
       "max_message_size = 52428800  # bytes (SIZE)\n"
       "max_recipients = 1000\n"
       "max_line_length = 4096\n"
       "max_errors = 20\n"
       "command_timeout_s = 300\n"
       "data_timeout_s = 600\n"
       "greet_pause_ms = 0  # port 25: refuse clients that talk before the greeting (e.g. 1000)\n\n"
       "[limits.imap]\n"
       "max_literal_size = 52428800\n"
       "max_line_length = 65536\n"
       "max_errors = 20\n"
       "preauth_timeout_s = 60\n"
       "idle_timeout_s = 1800\n\n"
       "[limits.pop3]\n"
       "max_line_length = 512\n"
       "max_errors = 20\n"
       "preauth_timeout_s = 60\n"
       "idle_timeout_s = 600\n\n"
       "[queue]\n"
       "# Outbound mail: retried with doubling intervals, bounced after lifetime_s, one delay notice after\n"
       "# delay_warning_s (0 = none).\n"
       "lifetime_s = 432000\n"
       "delay_warning_s = 14400\n"
       "retry_min_s = 60\n"
       "retry_max_s = 3600\n"
       "max_connections = 20\n"
       "max_per_domain = 4\n"
       "# Port of the receiving mail servers (25; tests point it at a local sink).\n"
       "smtp_port = 25\n"
       "# Relay all outbound mail through this \"host:port\" (TLS required, AUTH PLAIN if a user is set).\n"
       "smarthost = \"\"\n"
       "smarthost_user = \"\"\n"
       "smarthost_password = \"\"\n"
       "# DNS servers for MX lookups, \"ip\" or \"ip:port\"; empty = /etc/resolv.conf.\n"
       "dns_servers = []\n"
       "# Domains whose mail servers must offer STARTTLS (otherwise delivery waits and finally bounces).\n"
       "require_tls = []\n";
  return s.str();
}

}  // namespace claret::config
