// `claret serve`: binds every enabled listener, drops privileges, opens the store and serves until
// SIGTERM/SIGINT (graceful) — SIGHUP reloads the TLS certificate. Prints one machine-readable line
//   READY {"pid":123,"ports":{"smtp":25,"imaps":993,...}}
// on standard output once every listener is bound, so scripts and tests learn ephemeral ports.
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <map>

#include "app/admin_context.hpp"
#include "app/config_path.hpp"
#include "app/data_dir_owner.hpp"
#include "app/maintenance.hpp"
#include "app/malloc_tuning.hpp"
#include "app/open_store.hpp"
#include "app/protocol_sessions.hpp"
#include "app/queue_runtime.hpp"
#include "app/serve_sandbox.hpp"
#include "app/webmail_runtime.hpp"
#include "auth/verified_cache.hpp"
#include "base/log.hpp"
#include "io/privileges.hpp"
#include "io/server.hpp"
#include "tls/context.hpp"
#include "webmail/server/webmail_server.hpp"

namespace claret::app {
namespace {

log::Level parse_level(const std::string& s) {
  if (s == "debug") return log::Level::debug;
  if (s == "warn") return log::Level::warn;
  if (s == "error") return log::Level::error;
  return log::Level::info;
}

io::TlsMode io_mode(config::TlsMode m) {
  switch (m) {
    case config::TlsMode::none: return io::TlsMode::plain;
    case config::TlsMode::starttls: return io::TlsMode::starttls;
    case config::TlsMode::implicit: return io::TlsMode::implicit;
  }
  return io::TlsMode::plain;
}

std::string ready_line(const std::vector<io::BoundPort>& ports) {
  std::string line = "READY {\"pid\":" + std::to_string(::getpid()) + ",\"ports\":{";
  bool first = true;
  for (const auto& p : ports) {
    if (!first) line += ',';
    first = false;
    line += "\"" + p.listener + "\":" + std::to_string(p.port);
  }
  return line + "}}\n";
}

}  // namespace

int cmd_serve(const Words& words) {
  tune_malloc_for_server();  // before any thread (and its arena) exists
  auto args = Args::parse(words, {}, {"config"});
  if (!args) return fail(args.error().message, 2);
  if (!args->positional().empty()) return fail("usage: claret serve [--config FILE]", 2);
  auto cfg = load_config_or_report(*args);
  if (!cfg) return 1;
  log::set_level(parse_level(cfg->log_level));

  std::shared_ptr<tls::TlsContext> tls_ctx;
  if (!cfg->tls_cert.empty() && !cfg->tls_key.empty()) {
    auto ctx = tls::TlsContext::server(cfg->tls_cert.string(), cfg->tls_key.string());
    if (!ctx) return fail("TLS: " + ctx.error().message);
    tls_ctx = std::move(ctx).value();
  }

  io::ServerOptions options;
  options.io_threads = cfg->io_threads;
  options.offload_threads = cfg->blocking_threads;
  io::Server server(options);

  // The store is opened only after privileges are dropped (so its files belong to the service user);
  // sessions reach it through `protocols`, which exists before any connection is accepted (run() starts later).
  std::unique_ptr<store::Store> store;
  std::optional<ProtocolSessions> protocols;

  std::vector<const config::Listener*> enabled;
  for (const auto& l : cfg->listeners)
    if (l.enabled) enabled.push_back(&l);

  // Bind everything first, as root if need be.
  std::vector<io::ListenerSpec> specs;
  for (const auto* l : enabled) {
    io::ListenerSpec spec;
    spec.name = l->name;
    spec.address = l->address;
    spec.port = l->port;
    spec.tls_mode = io_mode(l->tls);
    if (l->tls != config::TlsMode::none) spec.tls = tls_ctx;
    spec.max_connections_per_ip = cfg->connections.per_ip;
    spec.max_connections = cfg->connections.total;
    ListenerTraits traits = traits_for(*l, *cfg);
    spec.refusal_line = traits.refusal_line;
    spec.idle_timeout = traits.initial_timeout;
    specs.push_back(std::move(spec));
  }
  // Sessions are created per listener once the store is open; until run() starts no connection is
  // accepted, so binding with a forwarding function is safe.
  std::vector<std::shared_ptr<io::SessionFn>> sessions(specs.size());
  for (size_t i = 0; i < specs.size(); ++i) {
    sessions[i] = std::make_shared<io::SessionFn>();
    auto slot = sessions[i];
    io::SessionFn forward = [slot](io::Connection& conn, io::SessionContext& ctx) { return (*slot)(conn, ctx); };
    if (auto st = server.add_listener(specs[i], forward); !st)
      return fail("cannot listen on " + specs[i].address + ":" + std::to_string(specs[i].port) + " (" + specs[i].name +
                  "): " + st.error().message);
  }

  if (auto st = hand_data_dir_to(cfg->data_dir, cfg->user); !st) return fail(st.error().message);
  if (auto st = io::drop_privileges(cfg->user); !st) return fail("cannot drop privileges: " + st.error().message);
  // From here on the process writes only beneath its data directory (no thread runs yet, so all are confined).
  if (auto st = confine_server(*cfg); !st) return fail(st.error().message);
  store = open_store_or_report(*cfg);
  if (!store) return 1;
  auth::LoginThrottle throttle(throttle_limits(*cfg));
  auth::CommandRate command_rate(command_rate_limits(*cfg));
  auth::verified_cache().configure({cfg->auth.cache_size, std::chrono::seconds(cfg->auth.cache_ttl_s)});
  auto outbound = open_queue_runtime(*cfg, *store);
  if (!outbound) return fail("queue: " + outbound.error().message);
  if (auto st = check_relay_ca_files(cfg->queue); !st) return fail(st.error().message);
  queue::DeliveryService* workers = outbound->service.get();
  // The webmail talks IMAP/submission to this very server (loopback by default), like any client would.
  std::unique_ptr<webmail::WebmailServer> web;
  if (cfg->webmail.enabled) {
    std::map<std::string, uint16_t> ports;
    for (const auto& p : server.bound_ports()) ports[p.listener] = p.port;
    auto settings = loopback_defaults(*cfg, ports);
    if (!settings) return fail(settings.error().message);
    auto backend = make_webmail_backend(*settings, cfg->hostname);
    if (!backend) return fail(backend.error().message);
    webmail::WebmailOptions web_options = webmail_options(*cfg);
    web_options.account_addresses = account_addresses_from(*store);
    web = std::make_unique<webmail::WebmailServer>(std::move(web_options), *backend, &throttle);
  }
  protocols.emplace(Services{*cfg, *store, throttle, outbound->queue.get(), [workers] { workers->wake(); },
                            outbound->signer, web.get(), &command_rate});
  for (size_t i = 0; i < specs.size(); ++i) *sessions[i] = protocols->session_for(*enabled[i]);

  Maintenance maintenance(*store);
  std::string line = ready_line(server.bound_ports());
  std::fwrite(line.data(), 1, line.size(), stdout);
  std::fflush(stdout);
  log::info("serve.ready", {{"hostname", cfg->hostname}, {"listeners", static_cast<int>(specs.size())}});
  // The delivery workers run on their own thread (src/queue/README.md) from now until the listeners have stopped.
  workers->start();
  server.run();
  workers->stop();
  log::info("serve.stopped");
  return 0;
}

}  // namespace claret::app
