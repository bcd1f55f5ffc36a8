// Test helpers for claret_io: temp dirs, a bounded blocking loopback client, the echo session.
#include "io/test_support.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <openssl/err.h>
#include <openssl/x509.h>
#include <sys/socket.h>
#include <unistd.h>

#include <boost/asio/awaitable.hpp>
#include <cerrno>
#include <cstdlib>
#include <filesystem>

#include "io/offload.hpp"

namespace claret::io::testing {
namespace asio = boost::asio;

TempDir::TempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "claret-io-XXXXXX").string();
  char* made = ::mkdtemp(tmpl.data());
  path_ = made ? made : "";
}

TempDir::~TempDir() {
  std::error_code ec;
  if (!path_.empty()) std::filesystem::remove_all(path_, ec);
}

TestClient::TestClient(std::chrono::milliseconds timeout) : timeout_(timeout) {}
TestClient::~TestClient() { close(); }

void TestClient::close() {
  if (ssl_) {
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  if (fd_ >= 0) {
    ::close(fd_);
    fd_ = -1;
  }
}

bool TestClient::connect(std::uint16_t port) {
  close();
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) return false;
  timeval tv{};
  tv.tv_sec = timeout_.count() / 1000;
  tv.tv_usec = (timeout_.count() % 1000) * 1000;
  ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::setsockopt(fd_, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
}

bool TestClient::send(const std::string& data) {
  std::size_t sent = 0;
  while (sent < data.size()) {
    int chunk = static_cast<int>(std::min<std::size_t>(data.size() - sent, 1 << 20));
    int n = ssl_ ? SSL_write(ssl_, data.data() + sent, chunk)
                 : static_cast<int>(::send(fd_, data.data() + sent, chunk, MSG_NOSIGNAL));
    if (n <= 0) return false;
    sent += static_cast<std::size_t>(n);
  }
  return true;
}

int TestClient::read_raw(char* buf, int len) {
  if (ssl_) return SSL_read(ssl_, buf, len);
  return static_cast<int>(::recv(fd_, buf, len, 0));
}

std::optional<std::string> TestClient::read_line() {
  for (;;) {
    auto lf = buffer_.find('\n');
    if (lf != std::string::npos) {
      std::string line = buffer_.substr(0, lf);
      buffer_.erase(0, lf + 1);
      if (!line.empty() && line.back() == '\r') line.pop_back();
      return line;
    }
    char buf[4096];
    int n = read_raw(buf, sizeof buf);
    if (n <= 0) return std::nullopt;
    buffer_.append(buf, static_cast<std::size_t>(n));
  }
}

bool TestClient::wait_closed() {
  char buf[4096];
  for (;;) {
    errno = 0;
    int n = read_raw(buf, sizeof buf);
    if (n > 0) continue;  // late data before the close
    if (n == 0) return true;
    if (ssl_) {
      int err = SSL_get_error(ssl_, n);
      ERR_clear_error();
      return err == SSL_ERROR_ZERO_RETURN || (err == SSL_ERROR_SYSCALL && errno != EAGAIN && errno != EWOULDBLOCK);
    }
    return errno == ECONNRESET || errno == EPIPE;
  }
}

bool TestClient::start_tls(SSL_CTX* ctx, const std::string& sni) {
  ssl_ = SSL_new(ctx);
  if (!ssl_) return false;
  SSL_set_fd(ssl_, fd_);
  SSL_set_tlsext_host_name(ssl_, sni.c_str());
  SSL_set1_host(ssl_, sni.c_str());
  buffer_.clear();
  bool ok = SSL_connect(ssl_) == 1;
  ERR_clear_error();
  return ok;
}

SslCtxPtr make_test_client_ctx(const std::string& ca_file, int min_version, int max_version) {
  SslCtxPtr ctx(SSL_CTX_new(TLS_client_method()));
  // Security level 0 lets the client offer old protocol versions, so refusing them is the server's doing.
  SSL_CTX_set_security_level(ctx.get(), 0);
  SSL_CTX_set_cipher_list(ctx.get(), "ALL:@SECLEVEL=0");
  SSL_CTX_set_min_proto_version(ctx.get(), min_version);
  SSL_CTX_set_max_proto_version(ctx.get(), max_version);
  if (!ca_file.empty()) {
    SSL_CTX_load_verify_locations(ctx.get(), ca_file.c_str(), nullptr);
    SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER, nullptr);
  }
  return ctx;
}

std::string peer_certificate_serial(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (!cert) return {};
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get_serialNumber(cert), nullptr);
  char* hex = BN_bn2hex(bn);
  std::string serial = hex ? hex : "";
  OPENSSL_free(hex);
  BN_free(bn);
  X509_free(cert);
  return serial;
}

namespace {

asio::awaitable<void> say(Connection& conn, std::string text) {
  auto st = co_await conn.write(text + "\r\n");
  (void)st;  // a write failure ends the session at the next read anyway
}

// Reports read errors the way a protocol would; returns false when the session must end.
asio::awaitable<bool> report(Connection& conn, const Error& error) {
  conn.clear_deadline();  // the goodbye must not be cut off by the expired deadline
  if (is(error, IoErrc::too_long)) {
    co_await say(conn, "500 too long");
    co_return true;
  }
  if (is(error, IoErrc::timeout)) co_await say(conn, "421 timeout");
  if (is(error, IoErrc::shutdown)) co_await say(conn, "421 shutting down");
  co_return false;
}

asio::awaitable<void> run_echo(Connection& conn, SessionContext& ctx) {
  co_await say(conn, "220 ready cid=" + std::to_string(ctx.connection_id));
  auto on_shutdown = OnShutdown::interrupt;
  for (;;) {
    auto line = co_await conn.read_line(1000, on_shutdown);
    if (!line) {
      bool recovered = co_await report(conn, line.error());
      if (recovered) continue;
      co_return;
    }
    const std::string& cmd = *line;
    if (cmd == "QUIT") {
      co_await say(conn, "221 bye");
      co_return;
    } else if (cmd == "STARTTLS") {
      co_await say(conn, "220 go");
      auto upgraded = co_await conn.start_tls();
      if (!upgraded) co_return;
      co_await say(conn, "discarded=" + std::to_string(upgraded->discarded_bytes));
    } else if (cmd == "TLSINFO") {
      co_await say(conn, "tls=" + conn.tls_version() + " " + conn.tls_cipher());
    } else if (cmd.rfind("LITERAL ", 0) == 0) {
      auto data = co_await conn.read_exact(std::stoul(cmd.substr(8)));
      if (!data) co_return;
      co_await say(conn, "got:" + *data);
    } else if (cmd.rfind("DEADLINE ", 0) == 0) {
      conn.set_deadline(std::chrono::milliseconds(std::stoul(cmd.substr(9))));
      auto next = co_await conn.read_line(1000);
      if (!next) {
        bool recovered = co_await report(conn, next.error());
        if (recovered) continue;
        co_return;
      }
      conn.clear_deadline();
      co_await say(conn, "in time: " + *next);
    } else if (cmd == "OFFLOAD") {
      std::thread::id caller = std::this_thread::get_id();
      auto [on_worker, worker_id] = co_await offload([] {
        return std::make_pair(on_offload_thread(), std::this_thread::get_id());
      });
      co_await say(conn, std::string("offload worker=") + (on_worker ? "1" : "0") +
                             " other_thread=" + (worker_id != caller ? "1" : "0") +
                             " resumed_on_worker=" + (on_offload_thread() ? "1" : "0"));
    } else if (cmd.rfind("STREAM ", 0) == 0) {
      // read_some: collect a body of known size in whatever pieces arrive.
      std::size_t want = std::stoul(cmd.substr(7)), got = 0;
      while (got < want) {
        auto chunk = co_await conn.read_some(want - got);
        if (!chunk || chunk->empty()) co_return;
        got += chunk->size();
      }
      co_await say(conn, "streamed " + std::to_string(got));
    } else if (cmd == "BATCH") {
      // Replies to pipelined commands: buffered, then sent with one flush.
      conn.enqueue("first\r\n");
      conn.enqueue("second\r\n");
      auto st = co_await conn.flush();
      if (!st) co_return;
    } else if (cmd == "STUBBORN") {
      on_shutdown = OnShutdown::keep_reading;
      co_await say(conn, "ok");
    } else {
      co_await say(conn, (conn.last_line_bare_lf() ? "echo-lf: " : "echo: ") + cmd);
    }
  }
}

}  // namespace

SessionFn echo_session() { return run_echo; }

RunningServer::RunningServer(ServerOptions options) : server_(options) {}

RunningServer::~RunningServer() { stop(); }

ServerOptions RunningServer::test_options() {
  ServerOptions options;
  options.io_threads = 2;
  options.shutdown_grace = std::chrono::milliseconds(1000);
  options.handle_signals = false;
  return options;
}

std::uint16_t RunningServer::listen(ListenerSpec spec, SessionFn session) {
  std::string name = spec.name;
  if (!server_.add_listener(std::move(spec), std::move(session))) return 0;
  for (auto& bound : server_.bound_ports())
    if (bound.listener == name) return bound.port;
  return 0;
}

void RunningServer::start() {
  thread_ = std::thread([this] { server_.run(); });
}

void RunningServer::stop() {
  if (!thread_.joinable()) return;
  server_.request_shutdown();
  thread_.join();
}

bool RunningServer::wait_connection_count(std::size_t n, std::chrono::milliseconds timeout) {
  auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    if (server_.connection_count() == n) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return server_.connection_count() == n;
}

}  // namespace claret::io::testing
