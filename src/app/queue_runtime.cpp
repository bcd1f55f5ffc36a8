// Builds the outbound queue from [queue]: SQLite queue store, c-ares resolver, delivery workers.
#include "app/queue_runtime.hpp"

#include <algorithm>

#include "app/dkim_signing.hpp"
#include "base/strings.hpp"
#include "dns/cares_resolver.hpp"
#include "store/sqlite/sqlite_queue_store.hpp"
#include "tls/context.hpp"

namespace claret::app {

namespace {

// "host:port" ("[v6]:port") as validated by the config loader.
queue::Smarthost relay_from(const std::string& host_port, const std::string& user, const std::string& password,
                            bool implicit_tls, const std::filesystem::path& ca_file) {
  queue::Smarthost sh;
  auto colon = host_port.rfind(':');
  sh.host = host_port.substr(0, colon);
  if (sh.host.size() > 2 && sh.host.front() == '[' && sh.host.back() == ']') sh.host = sh.host.substr(1, sh.host.size() - 2);
  sh.port = static_cast<std::uint16_t>(parse_u64(host_port.substr(colon + 1)).value_or(587));
  sh.user = user;
  sh.password = password;
  sh.implicit_tls = implicit_tls;
  sh.ca_file = ca_file.string();
  return sh;
}

}  // namespace

Result<QueueRuntime> open_queue_runtime(const config::Config& cfg, store::Store& store) {
  QueueRuntime rt;
  auto q = store::sqlite::open_sqlite_queue_store(cfg.data_dir.string());
  if (!q) return q.error();
  rt.queue = std::move(*q);
  dns::CaresOptions dopts;
  dopts.servers = cfg.queue.dns_servers;
  auto resolver = dns::CaresResolver::create(dopts);
  if (!resolver) return resolver.error();
  rt.resolver = std::move(*resolver);

  const auto& qs = cfg.queue;
  queue::DeliveryOptions o;
  o.hostname = cfg.hostname;
  o.retry.retry_min_seconds = qs.retry_min_s;
  o.retry.retry_max_seconds = qs.retry_max_s;
  o.retry.lifetime_seconds = qs.lifetime_s;
  o.retry.delay_warning_seconds = qs.delay_warning_s;
  o.max_connections = qs.max_connections;
  o.max_per_domain = qs.max_per_domain;
  o.require_tls_domains = qs.require_tls;
  o.smtp_port = qs.smtp_port;
  // Short retry settings (tests, impatient admins) also mean looking at the queue more often.
  o.idle_poll = std::chrono::seconds(std::clamp<int64_t>(qs.retry_min_s, 1, 5));
  if (!qs.smarthost.empty()) {
    o.smarthost = relay_from(qs.smarthost, qs.smarthost_user, qs.smarthost_password, qs.smarthost_implicit_tls,
                             qs.smarthost_ca_file);
  }
  for (const auto& [domain, r] : qs.routes)
    o.routes[domain] = relay_from(r.host_port, r.user, r.password, r.implicit_tls, r.ca_file);
  auto signer = make_dkim_signer(cfg.data_dir);
  if (!signer) return make_error("DKIM keys: " + signer.error().message);
  rt.signer = std::move(signer).value();
  rt.service = std::make_unique<queue::DeliveryService>(store, *rt.queue, *rt.resolver, std::move(o), rt.signer);
  return rt;
}

Status check_relay_ca_files(const config::QueueSettings& qs) {
  std::vector<std::pair<std::string, std::filesystem::path>> files;  // (setting, file)
  if (!qs.smarthost.empty()) files.emplace_back("queue.smarthost_ca_file", qs.smarthost_ca_file);
  for (const auto& [domain, r] : qs.routes) files.emplace_back("queue.routes.\"" + domain + "\".ca_file", r.ca_file);
  for (const auto& [setting, file] : files) {
    if (file.empty()) continue;
    auto ctx = tls::TlsContext::client({file.string(), true});
    if (!ctx) return make_error(setting + ": " + ctx.error().message);
  }
  return Status{};
}

}  // namespace claret::app
