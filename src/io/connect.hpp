// io::connect: outbound TCP connections (SMTP relay, webmail's IMAP/SMTP clients, tests), optionally
// with implicit TLS (RFC 8314 §3); STARTTLS upgrades use Connection::start_tls() as on the server side.
#pragma once

#include <boost/asio/awaitable.hpp>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "base/result.hpp"
#include "io/connection.hpp"
#include "io/shutdown_signal.hpp"

namespace claret::tls {
class TlsContext;
}

namespace claret::io {

struct ConnectOptions {
  std::string host;  // name or IP literal
  std::uint16_t port = 0;
  bool implicit_tls = false;
  // A client context (tls::TlsContext::client); needed for implicit_tls or a later start_tls().
  std::shared_ptr<tls::TlsContext> tls;
  // SNI and the name the certificate must match; defaults to host.
  std::string server_name;
  // Bounds name resolution + TCP connect + (implicit) TLS handshake together.
  std::chrono::milliseconds connect_timeout = std::chrono::seconds(30);
  std::chrono::milliseconds idle_timeout = std::chrono::minutes(5);
  // Lets a caller's reads be interrupted by its own shutdown signal (OnShutdown::interrupt).
  std::optional<ShutdownSignal> shutdown;
};

// Runs on the calling coroutine's executor (use a strand if several coroutines share the connection).
boost::asio::awaitable<Result<std::unique_ptr<Connection>>> connect(ConnectOptions options);

}  // namespace claret::io
