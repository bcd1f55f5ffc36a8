// SHA-256 and EVP signing/verification for DKIM (RFC 6376 §3.3, RFC 8463 §3) on OpenSSL 3.
#include "mailauth/crypto.hpp"

#include <openssl/err.h>
#include <openssl/evp.h>

#include <stdexcept>

namespace claret::mailauth {

namespace {

struct MdCtxFree {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

// Ed25519 signs the hash itself; RSA hashes the data inside EVP_DigestSign with SHA-256.
std::string signed_input(KeyAlgorithm alg, std::string_view data) {
  return alg == KeyAlgorithm::ed25519 ? sha256(data) : std::string(data);
}

}  // namespace

const char* key_algorithm_name(KeyAlgorithm a) { return a == KeyAlgorithm::rsa ? "rsa" : "ed25519"; }

const char* signing_algorithm_name(KeyAlgorithm a) {
  return a == KeyAlgorithm::rsa ? "rsa-sha256" : "ed25519-sha256";
}

std::string sha256(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("SHA-256 failed: " + openssl_error());
  return std::string(reinterpret_cast<char*>(md), len);
}

std::string openssl_error() {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown OpenSSL error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

Result<std::string> sign_data(const KeyHandle& key, KeyAlgorithm alg, std::string_view data) {
  std::string input = signed_input(alg, data);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return make_error("out of memory");
  const EVP_MD* md = alg == KeyAlgorithm::rsa ? EVP_sha256() : nullptr;
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.get()) != 1)
    return make_error("signing init failed: " + openssl_error());
  size_t len = 0;
  if (EVP_DigestSign(ctx.get(), nullptr, &len, bytes(input), input.size()) != 1)
    return make_error("signing failed: " + openssl_error());
  std::string sig(len, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &len, bytes(input), input.size()) != 1)
    return make_error("signing failed: " + openssl_error());
  sig.resize(len);
  return sig;
}

bool verify_data(const KeyHandle& key, KeyAlgorithm alg, std::string_view data, std::string_view signature) {
  std::string input = signed_input(alg, data);
  MdCtx ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  const EVP_MD* md = alg == KeyAlgorithm::rsa ? EVP_sha256() : nullptr;
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, md, nullptr, key.get()) == 1 &&
            EVP_DigestVerify(ctx.get(), bytes(signature), signature.size(), bytes(input), input.size()) == 1;
  ERR_clear_error();  // a bad signature leaves an error on the thread's queue
  return ok;
}

}  // namespace claret::mailauth
