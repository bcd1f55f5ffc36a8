// TLS contexts: the server policy (TLS 1.2+, forward-secret AEAD only; RFC 8996, RFC 9325 §4) with
// certificate reload, and client contexts for outbound connections and tests.
#pragma once

#include <memory>
#include <mutex>
#include <string>

#include "base/result.hpp"

namespace claret::tls {

// The OpenSSL context itself lives in context_native.hpp, which only io/ and tls/ sources include,
// so headers seen by protocol code never pull in Asio's SSL headers.
struct NativeContext;

struct ClientOptions {
  // PEM bundle of trusted certificates; empty means the system default trust store.
  std::string ca_file;
  // false: accept any certificate (opportunistic STARTTLS to MX hosts, RFC 7435); true: verify the
  // chain, and the host name given at handshake time.
  bool verify = true;
};

// A TLS configuration shared by many connections. `snapshot()` returns the current OpenSSL context;
// `reload()` builds a new one from the same files and swaps it in atomically, so connections that
// already hold a snapshot keep their certificate while new ones get the new certificate (SIGHUP).
class TlsContext {
 public:
  enum class Role { server, client };

  // Server context from a PEM certificate chain (leaf first) and its PEM private key.
  static Result<std::shared_ptr<TlsContext>> server(std::string cert_chain_file, std::string key_file);
  static Result<std::shared_ptr<TlsContext>> client(ClientOptions options);

  // Re-reads the certificate and key files. On failure the current context stays in use.
  Status reload();

  std::shared_ptr<NativeContext> snapshot() const;
  Role role() const { return role_; }
  bool verify_peer() const { return client_options_.verify; }
  const std::string& cert_chain_file() const { return cert_file_; }

  // Public only for std::make_shared; use server() or client().
  TlsContext(Role role, std::string cert_file, std::string key_file, ClientOptions client_options);

 private:
  Result<std::shared_ptr<NativeContext>> build() const;

  Role role_;
  std::string cert_file_;
  std::string key_file_;
  ClientOptions client_options_;
  mutable std::mutex mutex_;
  std::shared_ptr<NativeContext> current_;
};

}  // namespace claret::tls
