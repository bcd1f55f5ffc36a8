// DKIM private keys: generation, PEM load/store and the DNS key record (RFC 6376 §3.6.1, RFC 8463 §4).
#include "mailauth/private_key.hpp"

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/base64.hpp"

namespace claret::mailauth {

namespace {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Bio = std::unique_ptr<BIO, BioFree>;

KeyHandle own(EVP_PKEY* k) { return KeyHandle(k, EVP_PKEY_free); }

// Refuses to prompt on the terminal for the passphrase of an encrypted key: keys must be usable unattended.
int no_passphrase(char*, int, int, void*) { return -1; }

}  // namespace

Result<PrivateKey> PrivateKey::adopt(KeyHandle key) {
  switch (EVP_PKEY_get_base_id(key.get())) {
    case EVP_PKEY_RSA:
      if (EVP_PKEY_get_bits(key.get()) < kMinRsaBits)
        return make_error("RSA key of " + std::to_string(EVP_PKEY_get_bits(key.get())) +
                          " bits is too short for DKIM (RFC 8301 requires at least 1024, 2048 recommended)");
      return PrivateKey(std::move(key), KeyAlgorithm::rsa);
    case EVP_PKEY_ED25519:
      return PrivateKey(std::move(key), KeyAlgorithm::ed25519);
    default:
      return make_error("unsupported key type (DKIM keys are RSA or Ed25519)");
  }
}

Result<PrivateKey> PrivateKey::generate(KeyAlgorithm alg, int rsa_bits) {
  EVP_PKEY* k = nullptr;
  if (alg == KeyAlgorithm::rsa) {
    if (rsa_bits < kMinRsaBits || rsa_bits > 8192) return make_error("RSA key size must be 1024 to 8192 bits");
    k = EVP_RSA_gen(static_cast<unsigned int>(rsa_bits));
  } else {
    k = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  }
  if (!k) return make_error("key generation failed: " + openssl_error());
  return adopt(own(k));
}

Result<PrivateKey> PrivateKey::from_pem(std::string_view pem) {
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return make_error("out of memory");
  EVP_PKEY* k = PEM_read_bio_PrivateKey(bio.get(), nullptr, no_passphrase, nullptr);
  if (!k) return make_error("not an unencrypted PEM private key: " + openssl_error());
  return adopt(own(k));
}

Result<PrivateKey> PrivateKey::load(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error("cannot read " + file.string());
  std::ostringstream text;
  text << in.rdbuf();
  auto key = from_pem(text.str());
  if (!key) return make_error(file.string() + ": " + key.error().message);
  return key;
}

int PrivateKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

std::string PrivateKey::to_pem() const {
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1)
    throw std::runtime_error("PEM encoding failed: " + openssl_error());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<size_t>(len));
}

std::string PrivateKey::public_key_record() const {
  std::string p;
  if (alg_ == KeyAlgorithm::rsa) {
    unsigned char* der = nullptr;
    int len = i2d_PUBKEY(key_.get(), &der);
    if (len <= 0) throw std::runtime_error("public key encoding failed: " + openssl_error());
    p.assign(reinterpret_cast<char*>(der), static_cast<size_t>(len));
    OPENSSL_free(der);
  } else {
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key_.get(), raw, &len) != 1)
      throw std::runtime_error("public key encoding failed: " + openssl_error());
    p.assign(reinterpret_cast<char*>(raw), len);
  }
  return std::string("v=DKIM1; k=") + key_algorithm_name(alg_) + "; p=" + base64_encode(p);
}

}  // namespace claret::mailauth
