// Self-signed certificate generation with the OpenSSL 3 EVP API (RFC 5280 §4.1, §4.2.1.6 subjectAltName).
#include "tls/self_signed.hpp"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "tls/context_native.hpp"

namespace claret::tls {
namespace {

constexpr long kValiditySeconds = 10L * 365 * 24 * 60 * 60;

struct Deleter {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
  void operator()(X509* p) const { X509_free(p); }
  void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); }
  void operator()(BIGNUM* p) const { BN_free(p); }
  void operator()(std::FILE* f) const { std::fclose(f); }
};
template <typename T>
using Owned = std::unique_ptr<T, Deleter>;

Status add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX v3;
  X509V3_set_ctx_nodb(&v3);
  X509V3_set_ctx(&v3, cert, cert, nullptr, nullptr, 0);
  Owned<X509_EXTENSION> ext(X509V3_EXT_conf_nid(nullptr, &v3, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1)
    return make_error("cannot add certificate extension " + value + ": " + openssl_error_text());
  return {};
}

// Opens `path` for writing with `mode`, replacing any existing file; fchmod also fixes the mode of a
// file that already existed (open's mode applies only on creation), so a key is never left readable.
Result<Owned<std::FILE>> open_for_write(const std::string& path, mode_t mode) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
  if (fd < 0) return make_error("cannot create " + path);
  if (::fchmod(fd, mode) != 0) {
    ::close(fd);
    return make_error("cannot set mode of " + path);
  }
  std::FILE* f = ::fdopen(fd, "w");
  if (!f) {
    ::close(fd);
    return make_error("cannot open " + path);
  }
  return Owned<std::FILE>(f);
}

bool is_valid_hostname(const std::string& h) {
  if (h.empty() || h.size() > 253) return false;
  for (char c : h) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.';
    if (!ok) return false;
  }
  return true;
}

}  // namespace

Status generate_self_signed(const std::string& cert_path, const std::string& key_path, const std::string& hostname) {
  // The name goes into an OpenSSL extension config string, so it must not carry separators (',').
  if (!is_valid_hostname(hostname)) return make_error("invalid host name for certificate: " + hostname);
  ERR_clear_error();

  Owned<EVP_PKEY> key(EVP_EC_gen("P-256"));
  if (!key) return make_error("cannot generate EC key: " + openssl_error_text());

  Owned<X509> cert(X509_new());
  if (!cert) return make_error("cannot allocate certificate");
  X509_set_version(cert.get(), 2);  // v3, required for extensions

  // RFC 5280 §4.1.2.2: a positive serial of at most 20 octets; 16 random bytes keep it unique.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return make_error("no randomness for serial");
  serial_bytes[0] &= 0x7f;
  serial_bytes[0] |= 0x01;
  Owned<BIGNUM> serial(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!serial || !BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())))
    return make_error("cannot set serial: " + openssl_error_text());

  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -60 * 60);  // tolerate small clock skew
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValiditySeconds);
  X509_set_pubkey(cert.get(), key.get());

  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>(hostname.c_str()), -1,
                             -1, 0);
  X509_set_issuer_name(cert.get(), name);

  for (auto st : {add_extension(cert.get(), NID_subject_alt_name,
                                "DNS:" + hostname + ",DNS:localhost,IP:127.0.0.1"),
                  add_extension(cert.get(), NID_ext_key_usage, "serverAuth"),
                  add_extension(cert.get(), NID_subject_key_identifier, "hash")}) {
    if (!st) return st;
  }

  if (X509_sign(cert.get(), key.get(), EVP_sha256()) == 0)
    return make_error("cannot sign certificate: " + openssl_error_text());

  auto key_file = open_for_write(key_path, 0600);
  if (!key_file) return key_file.error();
  if (PEM_write_PrivateKey(key_file->get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1 ||
      std::fflush(key_file->get()) != 0)
    return make_error("cannot write private key " + key_path);

  auto cert_file = open_for_write(cert_path, 0644);
  if (!cert_file) return cert_file.error();
  if (PEM_write_X509(cert_file->get(), cert.get()) != 1 || std::fflush(cert_file->get()) != 0)
    return make_error("cannot write certificate " + cert_path);
  return {};
}

}  // namespace claret::tls
