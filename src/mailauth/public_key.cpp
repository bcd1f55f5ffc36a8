// DKIM key record parsing (RFC 6376 §3.6.1 tags v, h, k, n, p, s, t; RFC 8463 §4 k=ed25519).
#include "mailauth/public_key.hpp"

#include <openssl/evp.h>
#include <openssl/x509.h>

#include "base/base64.hpp"
#include "base/strings.hpp"
#include "mailauth/tag_list.hpp"

namespace claret::mailauth {

namespace {

KeyHandle own(EVP_PKEY* k) { return KeyHandle(k, EVP_PKEY_free); }

// A colon-separated list (h=, s=, t=) contains `item` (case-insensitive, whitespace ignored).
bool list_contains(std::string_view list, std::string_view item) {
  std::string compact = remove_fws(list);
  for (std::string_view part : split(compact, ':'))
    if (iequals(part, item)) return true;
  return false;
}

}  // namespace

Result<PublicKey> PublicKey::from_record(std::string_view record) {
  auto tags = TagList::parse(record);
  if (!tags) return make_error("bad key record: " + tags.error().message);
  if (auto v = tags->get("v")) {
    if (*v != "DKIM1" || tags->tags().front().first != "v") return make_error("key record v= is not DKIM1");
  }
  if (auto h = tags->get("h"); h && !list_contains(*h, "sha256"))
    return make_error("key record does not allow sha256 (h=" + std::string(*h) + ")");
  if (auto s = tags->get("s"); s && !list_contains(*s, "email") && !list_contains(*s, "*"))
    return make_error("key record is not for email (s=" + std::string(*s) + ")");
  KeyAlgorithm alg = KeyAlgorithm::rsa;
  if (auto k = tags->get("k")) {
    if (iequals(*k, "ed25519")) alg = KeyAlgorithm::ed25519;
    else if (!iequals(*k, "rsa")) return make_error("unknown key type k=" + std::string(*k));
  }
  auto p = tags->get("p");
  if (!p) return make_error("key record has no p= tag");
  std::string p64 = remove_fws(*p);
  if (p64.empty()) return make_error("key revoked (empty p=)");
  auto der = base64_decode(p64);
  if (!der || der->empty()) return make_error("key record p= is not base64");
  const auto* data = reinterpret_cast<const unsigned char*>(der->data());
  EVP_PKEY* k = nullptr;
  if (alg == KeyAlgorithm::rsa) {
    const unsigned char* cursor = data;
    k = d2i_PUBKEY(nullptr, &cursor, static_cast<long>(der->size()));
    if (!k) {
      cursor = data;
      k = d2i_PublicKey(EVP_PKEY_RSA, nullptr, &cursor, static_cast<long>(der->size()));
    }
    if (!k || EVP_PKEY_get_base_id(k) != EVP_PKEY_RSA) {
      EVP_PKEY_free(k);
      openssl_error();  // clears the queue
      return make_error("key record p= is not an RSA public key");
    }
    if (EVP_PKEY_get_bits(k) < 1024) {
      EVP_PKEY_free(k);
      return make_error("RSA key shorter than 1024 bits (RFC 8301)");
    }
  } else {
    if (der->size() != 32) return make_error("Ed25519 key record p= is not 32 bytes");
    k = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, data, der->size());
    if (!k) return make_error("bad Ed25519 public key: " + openssl_error());
  }
  PublicKey key(own(k), alg);
  if (auto t = tags->get("t")) {
    key.testing_ = list_contains(*t, "y");
    key.strict_identity_ = list_contains(*t, "s");
  }
  return key;
}

int PublicKey::bits() const { return EVP_PKEY_get_bits(key_.get()); }

}  // namespace claret::mailauth
