// io::Server: listeners and accept loops, admission limits, one strand per connection, signals,
// and the two-phase graceful shutdown (signal sessions, wait the grace period, then force-close).
#include "io/server.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <csignal>
#include <set>
#include <thread>

#include "base/log.hpp"
#include "io/connection_impl.hpp"
#include "io/offload.hpp"
#include "io/session_registry.hpp"
#include "tls/context.hpp"

namespace claret::io {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
constexpr auto kTok = asio::as_tuple(asio::use_awaitable);
// After force-closing, sessions normally end at once; this bounds a session stuck on non-I/O work.
constexpr auto kForcedCloseWait = std::chrono::seconds(2);
// Pause after an accept error such as EMFILE, so a full descriptor table does not spin the loop.
constexpr auto kAcceptErrorBackoff = std::chrono::milliseconds(100);

std::int64_t elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}
}  // namespace

struct Listener {
  ListenerSpec spec;
  SessionFn session;
  tcp::acceptor acceptor;
  std::uint16_t port = 0;
};

struct Server::Impl {
  explicit Impl(ServerOptions opts)
      : options(opts),
        threads(opts.io_threads ? opts.io_threads : std::max(1u, std::thread::hardware_concurrency())),
        ioc(static_cast<int>(threads)),
        control(asio::make_strand(ioc)),
        drained(control) {}

  asio::awaitable<void> accept_loop(Listener& l);
  asio::awaitable<void> run_session(Listener& l, tcp::socket socket, std::uint64_t cid, std::string ip);
  asio::awaitable<void> signal_loop();
  asio::awaitable<void> shutdown_sequence();
  asio::awaitable<void> wait_drained(std::chrono::steady_clock::duration limit);
  void refuse(Listener& l, tcp::socket& socket, const std::string& ip, Admission why);
  void start_listener(Listener& l) { asio::co_spawn(control, accept_loop(l), asio::detached); }
  void reload_tls();

  ServerOptions options;
  unsigned threads;
  // Declared before ioc: session coroutines destroyed with the io_context still release their slot.
  SessionRegistry registry;
  std::atomic<bool> shutdown_requested{false};
  std::atomic<bool> alive{true};
  asio::io_context ioc;
  // The control strand runs accept loops, signals and the shutdown sequence.
  asio::strand<asio::io_context::executor_type> control;
  asio::steady_timer drained;
  std::optional<asio::signal_set> signals;
  std::optional<asio::executor_work_guard<asio::io_context::executor_type>> work;
  // Declared after ioc so the acceptors are destroyed while their io_context still exists.
  mutable std::mutex listeners_mutex;
  std::vector<std::unique_ptr<Listener>> listeners;
  bool running = false;
};

Server::Server(ServerOptions options) : impl_(std::make_unique<Impl>(options)) {
  set_offload_threads(options.offload_threads);
  Impl* impl = impl_.get();
  impl_->registry.set_on_empty([impl] {
    if (impl->alive.load()) asio::post(impl->control, [impl] { impl->drained.cancel(); });
  });
}

Server::~Server() {
  impl_->alive.store(false);
  impl_->registry.set_on_empty(nullptr);
}

Status Server::add_listener(ListenerSpec spec, SessionFn session) {
  if (spec.tls_mode != TlsMode::plain) {
    if (!spec.tls) return make_error("listener " + spec.name + ": TLS mode needs a TLS context");
    if (spec.tls->role() != tls::TlsContext::Role::server)
      return make_error("listener " + spec.name + ": TLS context is not a server context");
  }
  boost::system::error_code ec;
  auto address = asio::ip::make_address(spec.address, ec);
  if (ec) return make_error("listener " + spec.name + ": bad address " + spec.address);
  tcp::endpoint endpoint(address, spec.port);
  tcp::acceptor acceptor(impl_->control);
  if (acceptor.open(endpoint.protocol(), ec); ec) return make_error("listener " + spec.name + ": " + ec.message());
  acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  if (acceptor.bind(endpoint, ec); ec)
    return make_error("listener " + spec.name + ": cannot bind " + spec.address + ":" + std::to_string(spec.port) +
                      ": " + ec.message());
  if (acceptor.listen(asio::socket_base::max_listen_connections, ec); ec)
    return make_error("listener " + spec.name + ": cannot listen: " + ec.message());
  auto port = acceptor.local_endpoint(ec).port();
  auto listener = std::make_unique<Listener>(Listener{std::move(spec), std::move(session), std::move(acceptor), port});
  log::info("io.listener.bound", {{"listener", listener->spec.name}, {"address", listener->spec.address},
                                  {"port", listener->port}});
  std::lock_guard lock(impl_->listeners_mutex);
  if (impl_->running) impl_->start_listener(*listener);
  impl_->listeners.push_back(std::move(listener));
  return {};
}

std::vector<BoundPort> Server::bound_ports() const {
  std::lock_guard lock(impl_->listeners_mutex);
  std::vector<BoundPort> ports;
  for (auto& l : impl_->listeners) ports.push_back({l->spec.name, l->spec.address, l->port});
  return ports;
}

std::size_t Server::connection_count() const { return impl_->registry.size(); }

void Server::run() {
  Impl& s = *impl_;
  s.work.emplace(s.ioc.get_executor());
  if (s.options.handle_signals) {
    s.signals.emplace(s.control, SIGINT, SIGTERM, SIGHUP);
    asio::co_spawn(s.control, s.signal_loop(), asio::detached);
  }
  {
    std::lock_guard lock(s.listeners_mutex);
    s.running = true;
    for (auto& l : s.listeners) s.start_listener(*l);
  }
  log::info("io.server.start", {{"threads", s.threads}});
  std::vector<std::thread> pool;
  for (unsigned i = 1; i < s.threads; ++i) pool.emplace_back([&s] { s.ioc.run(); });
  s.ioc.run();
  for (auto& t : pool) t.join();
  log::info("io.server.stopped");
}

void Server::request_shutdown() {
  if (impl_->shutdown_requested.exchange(true)) return;
  Impl* impl = impl_.get();
  asio::post(impl->control, [impl] { asio::co_spawn(impl->control, impl->shutdown_sequence(), asio::detached); });
}

void Server::reload_tls() { impl_->reload_tls(); }

void Server::Impl::reload_tls() {
  // Several listeners usually share one context: reload each once.
  std::set<tls::TlsContext*> contexts;
  {
    std::lock_guard lock(listeners_mutex);
    for (auto& l : listeners)
      if (l->spec.tls) contexts.insert(l->spec.tls.get());
  }
  for (auto* ctx : contexts) {
    if (auto st = ctx->reload(); st) {
      log::info("io.tls.reloaded", {{"cert", ctx->cert_chain_file()}});
    } else {
      log::error("io.tls.reload_failed", {{"cert", ctx->cert_chain_file()}, {"error", st.error().message}});
    }
  }
}

asio::awaitable<void> Server::Impl::signal_loop() {
  for (;;) {
    auto [ec, signal_number] = co_await signals->async_wait(kTok);
    if (ec) co_return;
    log::info("io.server.signal", {{"signal", signal_number}});
    if (signal_number == SIGHUP) {
      // Reading two PEM files is quick and rare: doing it on the control strand is acceptable.
      reload_tls();
    } else if (!shutdown_requested.exchange(true)) {
      asio::co_spawn(control, shutdown_sequence(), asio::detached);
    }
  }
}

asio::awaitable<void> Server::Impl::accept_loop(Listener& l) {
  for (;;) {
    // Each connection gets its own strand: its handlers run serially without locks.
    asio::any_io_executor strand = asio::make_strand(ioc);
    auto [ec, socket] = co_await l.acceptor.async_accept(strand, kTok);
    if (ec) {
      if (ec == asio::error::operation_aborted || !l.acceptor.is_open()) co_return;
      log::warn("io.accept.error", {{"listener", l.spec.name}, {"error", ec.message()}});
      asio::steady_timer pause(control, kAcceptErrorBackoff);
      co_await pause.async_wait(kTok);
      continue;
    }
    boost::system::error_code endpoint_ec;
    auto peer = socket.remote_endpoint(endpoint_ec);
    if (endpoint_ec) continue;  // reset before we looked at it
    std::string ip = peer.address().to_string();
    // Replies are batched by Connection::flush(); Nagle would only delay each flushed reply.
    socket.set_option(tcp::no_delay(true), endpoint_ec);
    auto ticket = registry.admit(l.spec.name, ip, l.spec.max_connections_per_ip, l.spec.max_connections);
    if (ticket.admission != Admission::admitted) {
      refuse(l, socket, ip, ticket.admission);
      continue;
    }
    auto executor = socket.get_executor();
    asio::co_spawn(executor, run_session(l, std::move(socket), ticket.cid, std::move(ip)), asio::detached);
  }
}

void Server::Impl::refuse(Listener& l, tcp::socket& socket, const std::string& ip, Admission why) {
  const char* reason = why == Admission::over_ip_limit         ? "per_ip_limit"
                       : why == Admission::over_listener_limit ? "listener_limit"
                                                               : "shutting_down";
  log::warn("io.connection.refused", {{"listener", l.spec.name}, {"ip", ip}, {"reason", reason}});
  boost::system::error_code ignored;
  // A one-line refusal fits in the empty socket send buffer, so a non-blocking send never waits.
  // TLS listeners get no text: the client expects a handshake, not plaintext.
  if (l.spec.tls_mode != TlsMode::implicit && !l.spec.refusal_line.empty()) {
    socket.non_blocking(true, ignored);
    socket.send(asio::buffer(l.spec.refusal_line), 0, ignored);
  }
  socket.shutdown(tcp::socket::shutdown_both, ignored);
  socket.close(ignored);
}

asio::awaitable<void> Server::Impl::run_session(Listener& l, tcp::socket socket, std::uint64_t cid, std::string ip) {
  // Releases the slot however the coroutine ends, even if it is destroyed unfinished at teardown.
  struct Release {
    SessionRegistry& registry;
    std::uint64_t cid;
    ~Release() { registry.release(cid); }
  } release{registry, cid};

  SessionContext ctx{cid, l.spec.name, ShutdownSignal{}};
  auto tls_context = l.spec.tls_mode == TlsMode::plain ? nullptr : l.spec.tls;
  auto impl = Connection::Impl::create(std::move(socket), Connection::Impl::Role::server, tls_context, ctx.shutdown);
  impl->idle_timeout_ = l.spec.idle_timeout;
  registry.attach(cid, ctx.shutdown, impl);
  Connection connection(impl);
  auto started = std::chrono::steady_clock::now();
  log::info("io.connection.open", {{"cid", cid}, {"listener", l.spec.name}, {"ip", ip}});

  std::string outcome = "done";
  bool ready = true;
  if (l.spec.tls_mode == TlsMode::implicit) {
    if (auto st = co_await impl->handshake(); !st) {
      outcome = "tls_handshake_failed";
      log::info("io.tls.handshake_failed", {{"cid", cid}, {"error", st.error().message}});
      ready = false;
    }
  }
  if (ready) {
    try {
      co_await l.session(connection, ctx);
    } catch (const std::exception& e) {
      outcome = "exception";
      log::error("io.session.exception", {{"cid", cid}, {"listener", l.spec.name}, {"error", e.what()}});
    } catch (...) {
      outcome = "exception";
      log::error("io.session.exception", {{"cid", cid}, {"listener", l.spec.name}, {"error", "unknown"}});
    }
  }
  co_await connection.close();
  log::info("io.connection.close", {{"cid", cid}, {"listener", l.spec.name}, {"ip", ip}, {"outcome", outcome},
                                    {"ms", elapsed_ms(started)}, {"bytes_in", connection.bytes_in()},
                                    {"bytes_out", connection.bytes_out()}});
}

asio::awaitable<void> Server::Impl::wait_drained(std::chrono::steady_clock::duration limit) {
  // The registry's on_empty callback cancels `drained` (on this strand) when the last session ends;
  // the size check and the wait happen in one strand step, so that cancel cannot be missed.
  // A stale cancel (from a moment the registry was empty earlier) only causes another look.
  auto deadline = std::chrono::steady_clock::now() + limit;
  while (registry.size() > 0 && std::chrono::steady_clock::now() < deadline) {
    drained.expires_at(deadline);
    co_await drained.async_wait(kTok);
  }
}

asio::awaitable<void> Server::Impl::shutdown_sequence() {
  auto started = std::chrono::steady_clock::now();
  log::info("io.server.shutdown", {{"sessions", registry.size()}});
  {
    std::lock_guard lock(listeners_mutex);
    boost::system::error_code ignored;
    for (auto& l : listeners) l->acceptor.close(ignored);
  }
  if (signals) {
    boost::system::error_code ignored;
    signals->cancel(ignored);
  }
  // Phase 1: every session sees its ShutdownSignal and says its protocol's goodbye.
  registry.begin_shutdown();
  co_await wait_drained(options.shutdown_grace);
  // Phase 2: whatever is left is cut off.
  if (auto left = registry.size(); left > 0) {
    log::warn("io.server.force_close", {{"sessions", left}});
    registry.force_close_all();
    co_await wait_drained(kForcedCloseWait);
  }
  log::info("io.server.shutdown_done", {{"ms", elapsed_ms(started)}, {"sessions_left", registry.size()}});
  work.reset();
  ioc.stop();
}

}  // namespace claret::io
