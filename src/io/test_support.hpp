// Test helpers for claret_io tests: temp dirs, a blocking loopback client (plain or TLS, every call
// bounded by socket timeouts), a line-echo session and a Server running on its own thread.
#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "io/server.hpp"
#include "tls/context.hpp"

namespace claret::io::testing {

class TempDir {
 public:
  TempDir();
  ~TempDir();
  const std::string& path() const { return path_; }
  std::string file(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A blocking client whose every read and write gives up after `timeout`.
class TestClient {
 public:
  explicit TestClient(std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));
  ~TestClient();
  bool connect(std::uint16_t port);
  bool send(const std::string& data);
  // One line without CRLF; nullopt on timeout, EOF or error.
  std::optional<std::string> read_line();
  // True when the server closed the connection (EOF or reset) within the timeout.
  bool wait_closed();
  // TLS handshake on the existing connection; `ctx` is not owned. Returns false if it fails.
  bool start_tls(SSL_CTX* ctx, const std::string& sni = "localhost");
  SSL* ssl() const { return ssl_; }
  void close();

 private:
  int read_raw(char* buf, int len);
  int fd_ = -1;
  SSL* ssl_ = nullptr;
  std::string buffer_;
  std::chrono::milliseconds timeout_;
};

// Line-echo session: greets "220 ready", then for each line replies "echo: <line>", and understands
// QUIT, STARTTLS, TLSINFO, LITERAL <n>, STREAM <n>, BATCH, DEADLINE <ms>, OFFLOAD and STUBBORN
// (keep reading through shutdown).
SessionFn echo_session();

// Server on its own thread; stop() requests shutdown and joins (bounded by the grace period).
class RunningServer {
 public:
  explicit RunningServer(ServerOptions options = test_options());
  ~RunningServer();
  static ServerOptions test_options();
  Server& server() { return server_; }
  // Adds a listener (before start) and returns its bound port, or 0 on failure.
  std::uint16_t listen(ListenerSpec spec, SessionFn session = echo_session());
  void start();
  void stop();
  // Polls until the server's connection count equals n; false after the timeout.
  bool wait_connection_count(std::size_t n, std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

 private:
  Server server_;
  std::thread thread_;
};

// A client SSL_CTX trusting `ca_file` (nullptr-safe wrapper type).
struct SslCtxDeleter {
  void operator()(SSL_CTX* c) const { SSL_CTX_free(c); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, SslCtxDeleter>;
SslCtxPtr make_test_client_ctx(const std::string& ca_file, int min_version, int max_version);

// Serial number (hex) of the certificate the server presented on this client's TLS session.
std::string peer_certificate_serial(SSL* ssl);

}  // namespace claret::io::testing
