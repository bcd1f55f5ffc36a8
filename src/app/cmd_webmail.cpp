// `claret webmail`: the webmail as its own HTTPS server (machine B), talking IMAP and submission to any
// mail server. Either a configuration file ([listeners.https]/[listeners.http], [tls], [webmail]) or flags:
//   claret webmail --listen 0.0.0.0:443 --cert C --key K --imap imaps://mail:993 --submission submissions://mail:465
// Prints the same READY line as `claret serve` once listening.
#include <unistd.h>

#include <cstdio>

#include "app/commands.hpp"
#include "app/config_path.hpp"
#include "app/webmail_runtime.hpp"
#include "auth/login_throttle.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "io/server.hpp"
#include "tls/context.hpp"
#include "webmail/server/webmail_server.hpp"

namespace claret::app {
namespace {

constexpr const char* kUsage =
    "usage: claret webmail [--config FILE] [--listen ADDR:PORT --cert FILE --key FILE] [--imap URL]\n"
    "                      [--submission URL] [--ca-file FILE] [--no-verify] [--hostname NAME] [--state-dir DIR]\n"
    "  --state-dir: where users' sender identities are kept (default: data_dir/webmail with --config,\n"
    "               memory only with --listen)";

// "addr:port" or "[v6]:port".
bool parse_listen(const std::string& s, std::string& address, uint16_t& port) {
  auto colon = s.rfind(':');
  if (colon == std::string::npos || colon == 0) return false;
  address = s.substr(0, colon);
  if (address.front() == '[' && address.back() == ']') address = address.substr(1, address.size() - 2);
  auto p = parse_u64(s.substr(colon + 1));
  if (!p || *p > 65535) return false;
  port = static_cast<uint16_t>(*p);
  return !address.empty();
}

}  // namespace

int cmd_webmail(const Words& words) {
  auto args = Args::parse(words, {"no-verify"},
                          {"config", "listen", "cert", "key", "imap", "submission", "ca-file", "hostname", "state-dir"});
  if (!args) return fail(args.error().message, 2);
  if (!args->positional().empty()) return fail(kUsage, 2);

  config::Config cfg;
  if (args->option("listen")) {
    // Everything from flags: one HTTPS listener.
    config::Listener l;
    l.name = "https";
    l.tls = config::TlsMode::implicit;
    if (!parse_listen(*args->option("listen"), l.address, l.port))
      return fail("--listen must be ADDR:PORT, e.g. 0.0.0.0:443 or [::]:443", 2);
    if (!args->option("cert") || !args->option("key")) return fail("--listen needs --cert and --key (HTTPS only)", 2);
    cfg.tls_cert = *args->option("cert");
    cfg.tls_key = *args->option("key");
    cfg.hostname = args->option("hostname").value_or("localhost");
    cfg.listeners.push_back(l);
    cfg.webmail.enabled = true;
  } else {
    auto loaded = load_config_or_report(*args);
    if (!loaded) return 1;
    cfg = std::move(*loaded);
  }
  if (auto v = args->option("imap")) cfg.webmail.imap_url = *v;
  if (auto v = args->option("submission")) cfg.webmail.submission_url = *v;
  if (auto v = args->option("ca-file")) cfg.webmail.ca_file = *v;
  if (args->flag("no-verify")) cfg.webmail.verify_certificates = false;
  if (cfg.webmail.imap_url.empty() || cfg.webmail.submission_url.empty())
    return fail("webmail: imap_url and submission_url are required ([webmail] or --imap/--submission)");
  if (auto e = config::check_server_url(cfg.webmail.imap_url, {"imap", "imaps"}); !e.empty())
    return fail("webmail: imap_url " + e, 2);
  if (auto e = config::check_server_url(cfg.webmail.submission_url, {"submission", "submissions"}); !e.empty())
    return fail("webmail: submission_url " + e, 2);

  auto backend = make_webmail_backend(cfg.webmail, cfg.hostname);
  if (!backend) return fail(backend.error().message);

  std::shared_ptr<tls::TlsContext> tls_ctx;
  if (!cfg.tls_cert.empty() && !cfg.tls_key.empty()) {
    auto ctx = tls::TlsContext::server(cfg.tls_cert.string(), cfg.tls_key.string());
    if (!ctx) return fail("TLS: " + ctx.error().message);
    tls_ctx = std::move(ctx).value();
  }

  io::ServerOptions options;
  options.io_threads = cfg.io_threads;
  io::Server server(options);
  auth::ThrottleLimits limits;
  limits.window = std::chrono::seconds(cfg.auth.failure_window_s);
  limits.ip_delay_after = cfg.auth.failures_before_delay;
  limits.ip_reject_after = cfg.auth.failures_before_block;
  auth::LoginThrottle throttle(limits);
  webmail::WebmailOptions web_options = webmail_options(cfg);
  if (auto v = args->option("state-dir")) web_options.state_dir = *v;
  if (web_options.state_dir.empty())
    log::warn("webmail.identities_in_memory", {{"hint", "use --state-dir to keep sender identities across restarts"}});
  webmail::WebmailServer web(std::move(web_options), *backend, &throttle);

  int listeners = 0;
  for (const auto& l : cfg.listeners) {
    if (!l.enabled || (l.name != "https" && l.name != "http")) continue;
    io::ListenerSpec spec;
    spec.name = l.name;
    spec.address = l.address;
    spec.port = l.port;
    if (l.tls == config::TlsMode::implicit) {
      if (!tls_ctx) return fail("listeners." + l.name + " uses TLS but no certificate is configured");
      spec.tls_mode = io::TlsMode::implicit;
      spec.tls = tls_ctx;
    }
    spec.max_connections_per_ip = cfg.connections.per_ip;
    spec.max_connections = cfg.connections.total;
    spec.refusal_line = "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
    spec.idle_timeout = std::chrono::seconds(75);
    if (auto st = server.add_listener(spec, web.session()); !st)
      return fail("cannot listen on " + spec.address + ":" + std::to_string(spec.port) + " (" + spec.name +
                  "): " + st.error().message);
    ++listeners;
  }
  if (listeners == 0) return fail("webmail: no enabled [listeners.https] or [listeners.http]");

  std::string line = "READY {\"pid\":" + std::to_string(::getpid()) + ",\"ports\":{";
  bool first = true;
  for (const auto& p : server.bound_ports()) {
    line += (first ? "\"" : ",\"") + p.listener + "\":" + std::to_string(p.port);
    first = false;
  }
  line += "}}\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  log::info("webmail.ready", {{"imap", cfg.webmail.imap_url}, {"submission", cfg.webmail.submission_url}});
  server.run();
  log::info("webmail.stopped");
  return 0;
}

}  // namespace claret::app
