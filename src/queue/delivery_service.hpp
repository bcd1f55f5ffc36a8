// DeliveryService: the queue's workers — claim due entries, deliver local recipients in the store and remote ones
// over SMTP by MX (RFC 5321 §5.1), retry with backoff, bounce and warn with DSNs (RFC 3464, RFC 3461 §6).
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "dns/resolver.hpp"
#include "queue/enqueue.hpp"
#include "queue/queue_store.hpp"
#include "queue/retry_policy.hpp"
#include "smtp/client/smtp_client.hpp"
#include "store/store.hpp"

namespace claret::queue {

// A relay: the smarthost (all remote mail) or a per-domain route. Its certificate is always verified.
struct Smarthost {
  std::string host;  // name or IP; mail goes here instead of the MX
  std::uint16_t port = 587;
  std::string user;  // AUTH PLAIN when set
  std::string password;
  bool require_tls = true;
  bool implicit_tls = false;  // TLS from the first byte (port 465, RFC 8314 §3) instead of STARTTLS
  std::string ca_file;        // PEM with the relay's private CA or self-signed certificate; "" = system CAs
};

struct DeliveryOptions {
  std::string hostname = "localhost";  // EHLO name and DSN Reporting-MTA
  RetryPolicy retry;
  size_t max_connections = 20;  // outbound SMTP sessions at once, all domains
  size_t max_per_domain = 4;    // sessions at once to one destination domain
  std::vector<std::string> require_tls_domains;
  std::optional<Smarthost> smarthost;     // every remote domain without a route below
  std::map<std::string, Smarthost> routes;  // destination domain (lower case) → relay; wins over smarthost and MX
  std::uint16_t smtp_port = 25;  // port of MX hosts (tests point it at a loopback sink)
  smtp::client::ClientTimeouts timeouts;
  int64_t lease_seconds = 900;  // longer than any single attempt can take
  size_t batch = 200;           // entries claimed per pass
  std::chrono::milliseconds idle_poll = std::chrono::seconds(5);  // also picks up entries queued by other processes
};

class DeliveryService {
 public:
  // The store, queue and resolver must outlive the service. `signer` signs DSNs queued to remote senders (empty
  // to leave them unsigned).
  DeliveryService(store::Store& store, QueueStore& queue, dns::Resolver& resolver, DeliveryOptions options,
                  MessageSigner signer = {});
  ~DeliveryService();
  DeliveryService(const DeliveryService&) = delete;
  DeliveryService& operator=(const DeliveryService&) = delete;

  // Starts the worker thread (releasing leases of a previous run first).
  void start();
  // Stops claiming, lets in-flight attempts end within `grace`, then abandons the rest (their leases expire and
  // they are retried: at-least-once delivery), and joins the thread.
  void stop(std::chrono::milliseconds grace = std::chrono::seconds(10));
  // Asks for a pass now (new mail was queued).
  void wake();
  // One synchronous pass on the calling thread (tests, `claret queue flush` without a server): returns how many
  // entries were attempted.
  size_t run_once();

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace claret::queue
