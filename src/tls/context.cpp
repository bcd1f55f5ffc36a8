// TLS context construction and policy: TLS 1.2 minimum (RFC 8996), TLS 1.3 enabled, and for TLS 1.2
// only ECDHE key exchange with AEAD ciphers (RFC 9325 §4.2); no compression (CRIME), no renegotiation.
#include "tls/context.hpp"

#include <openssl/err.h>
#include <openssl/ssl.h>

#include "tls/context_native.hpp"

namespace claret::tls {
namespace {

// Forward secrecy (ECDHE) and AEAD only. TLS 1.3 suites are configured separately by OpenSSL and
// are all AEAD with ephemeral key exchange, so its defaults are kept.
constexpr const char* kTls12Ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:"
    "ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305";

// Session resumption needs a context id on the server; any constant unique to claret will do.
constexpr unsigned char kSessionIdContext[] = "claret";

Status apply_common_policy(SSL_CTX* ctx) {
  if (SSL_CTX_set_min_proto_version(ctx, TLS1_2_VERSION) != 1)
    return make_error("cannot set minimum TLS version: " + openssl_error_text());
  if (SSL_CTX_set_cipher_list(ctx, kTls12Ciphers) != 1)
    return make_error("cannot set TLS 1.2 cipher list: " + openssl_error_text());
  SSL_CTX_set_options(ctx, SSL_OP_NO_COMPRESSION | SSL_OP_NO_RENEGOTIATION);
  // Idle connections are most connections: let OpenSSL free its record buffers (about 34 KiB) between
  // records instead of holding them for the connection's life.
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  return {};
}

}  // namespace

std::string openssl_error_text() {
  std::string text;
  while (unsigned long code = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(code, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
  }
  return text.empty() ? std::string("unknown OpenSSL error") : text;
}

TlsContext::TlsContext(Role role, std::string cert_file, std::string key_file, ClientOptions client_options)
    : role_(role),
      cert_file_(std::move(cert_file)),
      key_file_(std::move(key_file)),
      client_options_(std::move(client_options)) {}

Result<std::shared_ptr<TlsContext>> TlsContext::server(std::string cert_chain_file, std::string key_file) {
  auto ctx = std::make_shared<TlsContext>(Role::server, std::move(cert_chain_file), std::move(key_file),
                                          ClientOptions{});
  if (auto st = ctx->reload(); !st) return st.error();
  return ctx;
}

Result<std::shared_ptr<TlsContext>> TlsContext::client(ClientOptions options) {
  auto ctx = std::make_shared<TlsContext>(Role::client, "", "", std::move(options));
  if (auto st = ctx->reload(); !st) return st.error();
  return ctx;
}

Result<std::shared_ptr<NativeContext>> TlsContext::build() const {
  ERR_clear_error();
  namespace ssl = boost::asio::ssl;
  auto native = std::make_shared<NativeContext>(role_ == Role::server ? ssl::context::tls_server
                                                                      : ssl::context::tls_client);
  SSL_CTX* ctx = native->ssl.native_handle();
  if (auto st = apply_common_policy(ctx); !st) return st.error();

  if (role_ == Role::server) {
    SSL_CTX_set_options(ctx, SSL_OP_CIPHER_SERVER_PREFERENCE);
    SSL_CTX_set_session_id_context(ctx, kSessionIdContext, sizeof kSessionIdContext - 1);
    if (SSL_CTX_use_certificate_chain_file(ctx, cert_file_.c_str()) != 1)
      return make_error("cannot load certificate chain " + cert_file_ + ": " + openssl_error_text());
    if (SSL_CTX_use_PrivateKey_file(ctx, key_file_.c_str(), SSL_FILETYPE_PEM) != 1)
      return make_error("cannot load private key " + key_file_ + ": " + openssl_error_text());
    if (SSL_CTX_check_private_key(ctx) != 1)
      return make_error("private key " + key_file_ + " does not match certificate " + cert_file_);
    return native;
  }

  if (client_options_.ca_file.empty()) {
    if (SSL_CTX_set_default_verify_paths(ctx) != 1)
      return make_error("cannot load the system trust store: " + openssl_error_text());
  } else if (SSL_CTX_load_verify_locations(ctx, client_options_.ca_file.c_str(), nullptr) != 1) {
    return make_error("cannot load CA file " + client_options_.ca_file + ": " + openssl_error_text());
  }
  SSL_CTX_set_verify(ctx, client_options_.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nullptr);
  return native;
}

Status TlsContext::reload() {
  auto built = build();
  if (!built) return built.error();
  std::lock_guard lock(mutex_);
  current_ = std::move(built.value());
  return {};
}

std::shared_ptr<NativeContext> TlsContext::snapshot() const {
  std::lock_guard lock(mutex_);
  return current_;
}

}  // namespace claret::tls
