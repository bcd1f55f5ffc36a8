// io::Server: io_context thread pool, TCP listeners (plain, STARTTLS, implicit TLS), per-IP and global
// connection limits, signals (SIGTERM/SIGINT shutdown, SIGHUP TLS reload) and graceful shutdown.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/result.hpp"
#include "io/connection.hpp"
#include "io/shutdown_signal.hpp"

namespace claret::tls {
class TlsContext;
}

namespace claret::io {

enum class TlsMode {
  plain,     // no TLS (start_tls() fails)
  starttls,  // plaintext first; the session may call start_tls()
  implicit,  // TLS handshake right after accept (ports 465, 993, 995)
};

struct ListenerSpec {
  std::string name;                  // "smtp", "submissions", "imaps" … used in logs and SessionContext
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;            // 0 = ephemeral; see Server::bound_ports()
  TlsMode tls_mode = TlsMode::plain;
  std::shared_ptr<tls::TlsContext> tls;  // required for starttls and implicit
  std::size_t max_connections_per_ip = 0;  // 0 = unlimited
  std::size_t max_connections = 0;         // 0 = unlimited; counted per listener
  // Sent (plaintext listeners only) before closing a connection refused by a limit, e.g.
  // "421 4.7.0 Too many connections\r\n". Empty: just close.
  std::string refusal_line;
  // Initial idle timeout of each connection (sessions may change it); also bounds the TLS handshake.
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
};

struct SessionContext {
  std::uint64_t connection_id = 0;
  std::string listener;
  ShutdownSignal shutdown;
};

// A session: runs until the conversation is over. The Server closes the connection afterwards.
using SessionFn = std::function<boost::asio::awaitable<void>(Connection&, SessionContext&)>;

struct ServerOptions {
  unsigned io_threads = 0;  // 0 = one per core
  std::chrono::milliseconds shutdown_grace = std::chrono::seconds(10);
  bool handle_signals = true;  // SIGTERM/SIGINT → request_shutdown(), SIGHUP → reload_tls()
  // Size of the io::offload worker pool (process-wide, started on first use; see offload.hpp).
  unsigned offload_threads = 4;
};

struct BoundPort {
  std::string listener;
  std::string address;
  std::uint16_t port = 0;
};

class Server {
 public:
  explicit Server(ServerOptions options = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds at once (so a root process can bind low ports, then drop privileges, then run()).
  Status add_listener(ListenerSpec spec, SessionFn session);
  std::vector<BoundPort> bound_ports() const;

  // Starts the io threads and blocks until shutdown has completed. Call once.
  void run();
  // Thread-safe and idempotent: stop accepting, signal sessions, wait up to the grace period, then
  // force-close what is left and make run() return.
  void request_shutdown();
  // Reloads every listener's TLS context from its files; new connections get the new certificate.
  // A context that fails to load keeps its previous certificate (logged as io.tls.reload_failed).
  void reload_tls();
  // Connections currently open (all listeners).
  std::size_t connection_count() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace claret::io
