// DeliveryService: claim → local delivery / MX routing and SMTP (RFC 5321 §5.1, §4.5.4.1) → per-recipient results
// → retry schedule, expiry, and DSNs (RFC 3464, RFC 3461 §6.2: none for a null sender).
#include "queue/delivery_service.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <ctime>
#include <deque>
#include <future>
#include <map>
#include <random>
#include <set>

#include "base/log.hpp"
#include "base/strings.hpp"
#include "dns/route.hpp"
#include "io/offload.hpp"
#include "mail/local_delivery.hpp"
#include "queue/dsn.hpp"
#include "queue/dsn_sender.hpp"
#include "smtp/client/reply_parser.hpp"
#include "store/errc.hpp"
#include "tls/context.hpp"

namespace claret::queue {
namespace {

namespace asio = boost::asio;
using asio::awaitable;

int64_t unix_now() { return static_cast<int64_t>(::time(nullptr)); }

std::string domain_of(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? std::string() : to_lower(address.substr(at + 1));
}

// What happened to one recipient in this pass.
struct Outcome {
  RecipientState state = RecipientState::pending;
  std::string reply;   // "550 5.1.1 no such user" (remote) or our own reason in the same shape
  std::string status;  // RFC 3463
  std::string remote_mta;
};

Outcome outcome_from_reply(const smtp::proto::Reply& r, const std::string& host) {
  Outcome o;
  o.state = r.code / 100 == 2 ? RecipientState::delivered
            : r.code / 100 == 5 ? RecipientState::failed
                                : RecipientState::pending;
  o.reply = smtp::client::reply_summary(r);
  o.status = status_for_reply(r.code, r.enhanced);
  o.remote_mta = host;
  return o;
}

Outcome local_outcome(RecipientState state, std::string status, std::string text) {
  int code = state == RecipientState::delivered ? 250 : state == RecipientState::failed ? 550 : 451;
  return Outcome{state, std::to_string(code) + " " + status + " " + text, std::move(status), {}};
}

// One message with what this pass learned about its recipients.
struct Work {
  QueueEntry entry;
  std::string message;
  bool readable = false;
  std::map<int64_t, Outcome> outcomes;  // by recipient id
};

// Some recipients of one message, all in one destination domain.
struct Job {
  size_t work = 0;
  std::vector<size_t> recipients;  // indexes into entry.recipients
};

using Route = Result<std::vector<dns::RouteHost>>;

struct Task {
  std::string domain;
  std::vector<Job> jobs;
  // Resolved once per destination and pass, shared by the domain's sessions (unset with a smarthost).
  std::shared_ptr<const Route> route;
  const Smarthost* relay = nullptr;  // set: everything goes to this relay instead of the MX
};

// What finalize decided for one message before the store records it.
struct Finalized {
  std::vector<RecipientUpdate> updates;
  int64_t next_attempt = 0;
  std::vector<DsnRecipient> report;
  bool pending_left = false;
};

}  // namespace

struct DeliveryService::Impl {
  Impl(store::Store& s, QueueStore& q, dns::Resolver& r, DeliveryOptions o, MessageSigner sg)
      : store(s), queue(q), resolver(r), options(std::move(o)), signer(std::move(sg)), timer(io),
        rng(std::random_device{}()) {
    // Opportunistic TLS to MX hosts verifies nothing (RFC 7435); a relay is verified against its CA file (a
    // private CA or its self-signed certificate) or the system CAs.
    auto ctx = tls::TlsContext::client({"", false});
    if (ctx) tls_any = *ctx;
    auto add_relay_tls = [this](const Smarthost& relay) {
      if (relay_tls.count(relay.ca_file) || relay_tls_error.count(relay.ca_file)) return;
      auto verified = tls::TlsContext::client({relay.ca_file, true});
      if (verified) relay_tls[relay.ca_file] = *verified;
      else relay_tls_error[relay.ca_file] = verified.error().message;
    };
    if (options.smarthost) add_relay_tls(*options.smarthost);
    for (const auto& [domain, relay] : options.routes) add_relay_tls(relay);
  }

  store::Store& store;
  QueueStore& queue;
  dns::Resolver& resolver;
  DeliveryOptions options;
  MessageSigner signer;
  std::shared_ptr<tls::TlsContext> tls_any;
  std::map<std::string, std::shared_ptr<tls::TlsContext>> relay_tls;  // by CA file ("" = system CAs)
  std::map<std::string, std::string> relay_tls_error;                 // CA files that could not be loaded

  asio::io_context io;
  asio::steady_timer timer;
  std::thread thread;
  std::atomic<bool> stopping{false};
  std::atomic<bool> woken{false};
  std::promise<void> finished;
  std::mt19937 rng;                       // used on the service's thread only
  std::atomic<uint64_t> dsn_sequence{0};  // makes DSN Message-IDs unique within a second

  awaitable<void> loop();
  awaitable<size_t> pass();
  awaitable<void> deliver_task(Task& task, std::vector<Work>& works);
  awaitable<void> deliver_local(std::vector<Work>& works, const std::set<std::string>& local);
  Finalized plan_finish(Work& w, int64_t now) const;
  void after_finish(Work& w, Finalized& f, const Result<bool>& still, int64_t now);
  awaitable<void> finish_one(Work& w, Finalized& f, int64_t now);
  void send_dsn(const QueueEntry& e, std::string_view message, std::vector<DsnRecipient> recipients, int64_t now);
  smtp::client::ClientOptions client_options(const std::string& domain, const Smarthost* relay) const;
  const Smarthost* relay_for(const std::string& domain) const;
};

const Smarthost* DeliveryService::Impl::relay_for(const std::string& domain) const {
  if (auto it = options.routes.find(domain); it != options.routes.end()) return &it->second;
  return options.smarthost ? &*options.smarthost : nullptr;
}

smtp::client::ClientOptions DeliveryService::Impl::client_options(const std::string& domain,
                                                                  const Smarthost* relay) const {
  smtp::client::ClientOptions o;
  o.helo_name = options.hostname;
  o.timeouts = options.timeouts;
  o.tls = tls_any;
  for (const auto& d : options.require_tls_domains) o.require_tls = o.require_tls || iequals(d, domain);
  if (relay) {
    o.require_tls = relay->require_tls || relay->implicit_tls;
    o.implicit_tls = relay->implicit_tls;
    o.auth_user = relay->user;
    o.auth_password = relay->password;
    // Credentials only ever travel to a verified relay; unverified opportunistic TLS when TLS is not required.
    auto it = relay_tls.find(relay->ca_file);
    if (o.require_tls) o.tls = it == relay_tls.end() ? nullptr : it->second;
  }
  return o;
}

awaitable<void> DeliveryService::Impl::deliver_local(std::vector<Work>& works, const std::set<std::string>& local) {
  for (Work& w : works) {
    if (!w.readable) continue;
    std::vector<std::string> addrs;
    std::vector<int64_t> ids;
    for (const auto& r : w.entry.recipients)
      if (r.state == RecipientState::pending && local.count(domain_of(r.address))) {
        addrs.push_back(r.address);
        ids.push_back(r.id);
      }
    if (addrs.empty()) continue;
    auto res = co_await io::offload([&] {
      return mail::deliver_local(store, mail::LocalDelivery{w.entry.sender, addrs, "", w.message, unix_now()});
    });
    for (size_t i = 0; i < ids.size(); ++i) {
      Outcome o = local_outcome(RecipientState::pending, "4.3.0", "local delivery failed");
      const Result<store::Delivered>* r = nullptr;
      if (res && i < res->size()) r = &(*res)[i].result;
      if (r && r->ok()) o = local_outcome(RecipientState::delivered, "2.0.0", "delivered to mailbox");
      else if (r && store::has_code(r->error(), store::Errc::not_found))
        o = local_outcome(RecipientState::failed, "5.1.1", "no such local mailbox");
      else if (r && store::has_code(r->error(), store::Errc::over_quota))
        o = local_outcome(RecipientState::pending, "4.2.2", "mailbox full");
      o.remote_mta = options.hostname;
      w.outcomes[ids[i]] = std::move(o);
    }
  }
}

awaitable<void> DeliveryService::Impl::deliver_task(Task& task, std::vector<Work>& works) {
  auto fail_rest = [&](const Outcome& o) {
    for (const Job& j : task.jobs)
      for (size_t ri : j.recipients) {
        int64_t id = works[j.work].entry.recipients[ri].id;
        if (!works[j.work].outcomes.count(id)) works[j.work].outcomes[id] = o;
      }
  };
  std::vector<dns::RouteHost> hosts;
  std::uint16_t port = options.smtp_port;
  if (task.relay) {
    if (auto bad = relay_tls_error.find(task.relay->ca_file); bad != relay_tls_error.end()) {
      fail_rest({RecipientState::pending, "454 4.7.5 relay TLS: " + bad->second, "4.7.5", {}});
      log::error("queue.relay.tls_failed", {{"domain", task.domain}, {"error", bad->second}});
      co_return;
    }
    hosts.push_back({task.relay->host, {task.relay->host}});
    port = task.relay->port;
  } else {
    const Route& route = *task.route;
    if (!route) {
      const Error& e = route.error();
      if (dns::is(e, dns::RouteErrc::null_mx))
        fail_rest({RecipientState::failed, "556 5.1.10 " + e.message, "5.1.10", {}});
      else if (dns::is(e, dns::RouteErrc::permanent))
        fail_rest({RecipientState::failed, "550 5.1.2 " + e.message, "5.1.2", {}});
      else
        fail_rest({RecipientState::pending, "451 4.4.3 " + e.message, "4.4.3", {}});
      log::info("queue.route.failed", {{"domain", task.domain}, {"error", e.message}});
      co_return;
    }
    hosts = *route;
  }
  auto copts = client_options(task.domain, task.relay);
  size_t next_job = 0;
  std::string last_error = "no address to connect to";
  for (const auto& host : hosts) {
    for (const auto& address : host.addresses) {
      if (next_job >= task.jobs.size()) break;
      auto client = co_await smtp::client::SmtpClient::open(address, port, copts);
      if (!client) {
        last_error = host.host + "[" + address + "]: " + client.error().message;
        log::info("queue.connect.failed", {{"domain", task.domain}, {"host", host.host}, {"address", address},
                                           {"port", port}, {"error", client.error().message}});
        continue;
      }
      while (next_job < task.jobs.size()) {
        const Job& job = task.jobs[next_job];
        Work& w = works[job.work];
        smtp::client::Envelope env;
        env.sender = w.entry.sender;
        env.ret = w.entry.ret;
        env.envid = w.entry.envid;
        env.smtputf8 = w.entry.smtputf8;
        for (size_t ri : job.recipients) {
          const auto& r = w.entry.recipients[ri];
          env.recipients.push_back({r.address, r.notify, r.orcpt});
        }
        auto result = co_await (*client)->send(env, w.message);
        if (!result) {
          last_error = host.host + "[" + address + "]: " + result.error().message;
          break;  // connection lost: this job and the rest go to the next address
        }
        for (size_t k = 0; k < job.recipients.size(); ++k) {
          const auto& r = w.entry.recipients[job.recipients[k]];
          w.outcomes[r.id] = outcome_from_reply(result->recipients[k], host.host);
          log::info("queue.recipient.attempted", {{"entry", w.entry.id}, {"rcpt", r.address},
                                                  {"host", host.host}, {"reply", w.outcomes[r.id].reply}});
        }
        ++next_job;
      }
      if ((*client)->usable()) co_await (*client)->quit();
    }
  }
  if (next_job < task.jobs.size()) {
    Task rest{task.domain, std::vector<Job>(task.jobs.begin() + static_cast<long>(next_job), task.jobs.end()), {},
              task.relay};
    Outcome o{RecipientState::pending, "451 4.4.1 " + last_error, "4.4.1", {}};
    for (const Job& j : rest.jobs)
      for (size_t ri : j.recipients) {
        int64_t id = works[j.work].entry.recipients[ri].id;
        if (!works[j.work].outcomes.count(id)) works[j.work].outcomes[id] = o;
      }
  }
}

void DeliveryService::Impl::send_dsn(const QueueEntry& e, std::string_view message,
                                     std::vector<DsnRecipient> recipients, int64_t now) {
  DsnInput in;
  in.reporting_mta = options.hostname;
  in.to = e.sender;
  in.envid = e.envid;
  in.return_full = iequals(e.ret, "FULL");
  in.arrival = e.arrival;
  in.now = now;
  in.retry_until = e.arrival + options.retry.lifetime_seconds;
  in.recipients = std::move(recipients);
  in.original = message;
  in.message_id = std::to_string(now) + "." + std::to_string(e.id) + "." + std::to_string(++dsn_sequence) +
                  "@" + options.hostname;
  std::string dsn = build_dsn(in);
  auto sent = send_dsn_to(store, &queue, signer, e.sender, dsn, now);
  if (!sent) log::error("queue.dsn.failed", {{"entry", e.id}, {"to", e.sender}, {"error", sent.error().message}});
  else if (*sent == DsnRoute::local) log::info("queue.dsn.delivered", {{"entry", e.id}, {"to", e.sender}});
  else log::info("queue.dsn.queued", {{"entry", e.id}, {"to", e.sender}});
}

namespace {
bool wants(int notify, int bit) { return notify == 0 ? bit != notify::kSuccess : (notify & bit) != 0; }
}  // namespace

Finalized DeliveryService::Impl::plan_finish(Work& w, int64_t now) const {
  const QueueEntry& e = w.entry;
  const bool give_up = expired(options.retry, e.arrival, now);
  Finalized f;
  for (const auto& r : e.recipients) {
    if (r.state != RecipientState::pending) continue;
    Outcome o;
    if (auto it = w.outcomes.find(r.id); it != w.outcomes.end()) o = it->second;
    else o = local_outcome(RecipientState::pending, "4.3.0", w.readable ? "not attempted" : "message unreadable");
    if (o.state == RecipientState::pending && give_up) {
      o.state = RecipientState::failed;
      o.reply = o.reply.empty() ? "4.4.7 delivery time expired" : o.reply;
      o.status = "4.4.7";
    }
    f.updates.push_back({r.id, o.state, o.reply});
    f.pending_left = f.pending_left || o.state == RecipientState::pending;
    DsnRecipient d{r.address, r.orcpt, DsnAction::failed, o.status, o.remote_mta, o.reply};
    if (o.state == RecipientState::failed && wants(r.notify, notify::kFailure)) f.report.push_back(d);
    if (o.state == RecipientState::delivered && wants(r.notify, notify::kSuccess)) {
      d.action = DsnAction::delivered;
      f.report.push_back(d);
    }
  }
  f.next_attempt = now + retry_delay(options.retry, e.attempts + 1);
  return f;
}

void DeliveryService::Impl::after_finish(Work& w, Finalized& f, const Result<bool>& still, int64_t now) {
  const QueueEntry& e = w.entry;
  if (!still) {
    log::error("queue.finish.failed", {{"entry", e.id}, {"error", still.error().message}});
    return;
  }
  // One delay warning per message, once it has waited long enough (RFC 3461 §4.1 NOTIFY=DELAY).
  if (*still && f.pending_left && !e.delay_warned && options.retry.delay_warning_seconds > 0 &&
      now - e.arrival >= options.retry.delay_warning_seconds) {
    for (const auto& u : f.updates) {
      if (u.state != RecipientState::pending) continue;
      for (const auto& r : e.recipients)
        if (r.id == u.recipient_id && wants(r.notify, notify::kDelay)) {
          auto& o = w.outcomes[r.id];
          f.report.push_back({r.address, r.orcpt, DsnAction::delayed, o.status.empty() ? "4.0.0" : o.status,
                              o.remote_mta, o.reply});
        }
    }
    (void)queue.mark_delay_warned(e.id);
  }
  log::info("queue.entry.attempted", {{"entry", e.id}, {"attempt", e.attempts + 1}, {"queued", *still},
                                      {"next", *still ? f.next_attempt : 0}});
  if (e.sender.empty() || f.report.empty()) return;
  send_dsn(e, w.message, std::move(f.report), now);
}

// Blocking work on the pool: record the results, then the warning and DSNs that depend on them.
awaitable<void> DeliveryService::Impl::finish_one(Work& w, Finalized& f, int64_t now) {
  co_await io::offload([this, &w, &f, now] {
    auto still = queue.finish(w.entry.id, f.updates, f.next_attempt);
    after_finish(w, f, still, now);
  });
}

awaitable<size_t> DeliveryService::Impl::pass() {
  const int64_t now = unix_now();
  auto claimed = co_await io::offload([&] { return queue.claim_due(now, options.batch, options.lease_seconds); });
  if (!claimed) {
    log::error("queue.claim.failed", {{"error", claimed.error().message}});
    co_return 0;
  }
  if (claimed->empty()) co_return 0;
  std::vector<Work> works(claimed->size());
  for (size_t i = 0; i < works.size(); ++i) works[i].entry = std::move((*claimed)[i]);
  // Every message of the pass and the local domains in one trip to the pool, not one trip each.
  auto domains = co_await io::offload([&] {
    for (Work& w : works) {
      auto bytes = store.blobs().read(w.entry.blob.id);
      if (bytes) {
        w.message = std::move(*bytes);
        w.readable = true;
      } else {
        log::error("queue.blob.unreadable", {{"entry", w.entry.id}, {"error", bytes.error().message}});
      }
    }
    return store.directory().list_domains();
  });
  std::set<std::string> local;
  if (domains)
    for (const auto& d : *domains) local.insert(to_lower(d));
  // Local recipients never leave the machine.
  co_await deliver_local(works, local);

  // Remote recipients by destination (one key per relay: a route, or the smarthost for everything else), then
  // split into at most max_per_domain sessions per destination; each session carries several messages.
  std::map<std::string, std::vector<Job>> by_domain;
  std::map<std::string, const Smarthost*> relays;  // destination key → its relay
  for (size_t wi = 0; wi < works.size(); ++wi) {
    if (!works[wi].readable) continue;
    std::map<std::string, Job> jobs;
    const auto& rs = works[wi].entry.recipients;
    for (size_t ri = 0; ri < rs.size(); ++ri) {
      if (rs[ri].state != RecipientState::pending || works[wi].outcomes.count(rs[ri].id)) continue;
      std::string d = domain_of(rs[ri].address);
      if (local.count(d)) continue;
      const Smarthost* relay = relay_for(d);
      const bool via_smarthost = relay && options.smarthost && relay == &*options.smarthost;
      std::string key = !relay ? d : via_smarthost ? std::string("[smarthost]") : "[route " + d + "]";
      if (relay) relays[key] = relay;
      Job& j = jobs[key];
      j.work = wi;
      j.recipients.push_back(ri);
    }
    for (auto& [d, j] : jobs) by_domain[d].push_back(std::move(j));
  }
  std::deque<Task> tasks;
  for (auto& [d, jobs] : by_domain) {
    std::shared_ptr<const Route> route;
    const Smarthost* relay = relays.count(d) ? relays[d] : nullptr;
    if (!relay) {
      // Seeded here, on the service's thread: the shared generator must not be used from offload threads.
      std::mt19937 domain_rng(rng());
      const std::string domain = d;
      auto routed = co_await io::offload([&] { return dns::route_domain(resolver, domain, domain_rng); });
      route = std::make_shared<const Route>(std::move(routed));
    }
    size_t n = std::min(std::max<size_t>(1, options.max_per_domain), jobs.size());
    std::vector<Task> split(n, Task{d, {}, route, relay});
    for (size_t i = 0; i < jobs.size(); ++i) split[i % n].jobs.push_back(std::move(jobs[i]));
    for (auto& t : split) tasks.push_back(std::move(t));
  }
  // Up to max_connections sessions at once; all on this thread's executor, so the shared state needs no lock.
  size_t workers = std::min(std::max<size_t>(1, options.max_connections), tasks.size());
  size_t running = workers;
  asio::steady_timer all_done(co_await asio::this_coro::executor);
  all_done.expires_at(asio::steady_timer::time_point::max());
  for (size_t i = 0; i < workers; ++i) {
    asio::co_spawn(
        co_await asio::this_coro::executor,
        [&]() -> awaitable<void> {
          while (!tasks.empty()) {
            Task t = std::move(tasks.front());
            tasks.pop_front();
            co_await deliver_task(t, works);
          }
        },
        [&](std::exception_ptr ep) {
          if (ep) {
            try {
              std::rethrow_exception(ep);
            } catch (const std::exception& ex) {
              log::error("queue.worker.failed", {{"error", ex.what()}});
            }
          }
          if (--running == 0) all_done.cancel();
        });
  }
  if (workers > 0) co_await all_done.async_wait(asio::as_tuple(asio::use_awaitable));
  // Every result of the pass at once: the queue's writer commits concurrent finish() calls together (one fsync for
  // the pass, not one per message); then warnings and DSNs.
  const int64_t done = unix_now();
  std::vector<Finalized> plans;
  plans.reserve(works.size());
  for (Work& w : works) plans.push_back(plan_finish(w, done));
  size_t unfinished = works.size();
  asio::steady_timer all_finished(co_await asio::this_coro::executor);
  all_finished.expires_at(asio::steady_timer::time_point::max());
  for (size_t i = 0; i < works.size(); ++i) {
    asio::co_spawn(
        co_await asio::this_coro::executor, finish_one(works[i], plans[i], done),
        [&](std::exception_ptr ep) {
          if (ep) {
            try {
              std::rethrow_exception(ep);
            } catch (const std::exception& ex) {
              log::error("queue.finish.failed", {{"error", ex.what()}});
            }
          }
          if (--unfinished == 0) all_finished.cancel();
        });
  }
  if (!works.empty()) co_await all_finished.async_wait(asio::as_tuple(asio::use_awaitable));
  co_return works.size();
}

awaitable<void> DeliveryService::Impl::loop() {
  while (!stopping) {
    size_t n = co_await pass();
    if (stopping) break;
    if (n > 0 || woken.exchange(false)) continue;
    auto next = co_await io::offload([&] { return queue.next_due(); });
    auto wait = options.idle_poll;
    if (next && next->has_value()) {
      auto until = std::chrono::seconds(std::max<int64_t>(0, **next - unix_now()));
      wait = std::min<std::chrono::milliseconds>(wait, until);
    }
    wait = std::max<std::chrono::milliseconds>(wait, std::chrono::milliseconds(200));
    timer.expires_after(wait);
    if (woken.exchange(false)) continue;
    co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
  }
}

DeliveryService::DeliveryService(store::Store& store, QueueStore& queue, dns::Resolver& resolver,
                                 DeliveryOptions options, MessageSigner signer)
    : impl_(std::make_unique<Impl>(store, queue, resolver, std::move(options), std::move(signer))) {}

DeliveryService::~DeliveryService() { stop(); }

void DeliveryService::start() {
  if (impl_->thread.joinable()) return;
  if (auto st = impl_->queue.release_leases(); !st)
    log::warn("queue.leases.release_failed", {{"error", st.error().message}});
  Impl* impl = impl_.get();
  asio::co_spawn(impl->io, impl->loop(), [impl](std::exception_ptr ep) {
    if (ep) {
      try {
        std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        log::error("queue.loop.failed", {{"error", e.what()}});
      }
    }
    impl->finished.set_value();
  });
  impl->thread = std::thread([impl] { impl->io.run(); });
  log::info("queue.started", {{"max_connections", impl->options.max_connections},
                              {"max_per_domain", impl->options.max_per_domain}});
}

void DeliveryService::stop(std::chrono::milliseconds grace) {
  if (!impl_ || !impl_->thread.joinable()) return;
  impl_->stopping = true;
  wake();
  auto f = impl_->finished.get_future();
  if (f.wait_for(grace) != std::future_status::ready) {
    log::warn("queue.stop.forced", {});
    impl_->io.stop();
  }
  impl_->thread.join();
  log::info("queue.stopped", {});
}

void DeliveryService::wake() {
  impl_->woken = true;
  Impl* impl = impl_.get();
  asio::post(impl->io, [impl] { impl->timer.cancel(); });
}

size_t DeliveryService::run_once() {
  asio::io_context io;
  auto f = asio::co_spawn(io, impl_->pass(), asio::use_future);
  io.run();
  return f.get();
}

}  // namespace claret::queue
