// Password hash schemes: Argon2id/Argon2i (RFC 9106, PHC string format) via libsodium; SHA-crypt and bcrypt via libxcrypt.
#include "auth/password_hash.hpp"

#include <crypt.h>
#include <sodium.h>

#include <memory>
#include <optional>
#include <stdexcept>

#include "auth/crypt_format.hpp"
#include "auth/crypto_util.hpp"
#include "base/base64.hpp"
#include "base/strings.hpp"

namespace claret::auth {

namespace {

enum class Scheme { argon2id, argon2i, sha512_crypt, sha256_crypt, blf_crypt, crypt };

struct SchemeName {
  std::string_view name;
  Scheme scheme;
};

constexpr SchemeName kAccepted[] = {
    {"ARGON2ID", Scheme::argon2id},
    {"ARGON2I", Scheme::argon2i},
    {"SHA512-CRYPT", Scheme::sha512_crypt},
    {"SHA256-CRYPT", Scheme::sha256_crypt},
    {"BLF-CRYPT", Scheme::blf_crypt},
    {"CRYPT", Scheme::crypt},
};

// Dovecot schemes that are plaintext, unsalted or a single fast hash round: an offline attacker tests
// billions of guesses per second against them, so they are refused rather than carried forward.
constexpr std::string_view kWeak[] = {
    "PLAIN",     "CLEAR",      "CLEARTEXT",  "PLAIN-TRUNC", "PLAIN-BASE64", "PLAIN-HEX",
    "MD5",       "PLAIN-MD5",  "LDAP-MD5",   "SMD5",        "MD5-CRYPT",    "DES-CRYPT",
    "SHA",       "SSHA",       "SHA1",       "SHA256",      "SSHA256",      "SHA512",
    "SSHA512",   "CRAM-MD5",   "DIGEST-MD5", "HMAC-MD5",    "LANMAN",       "NTLM",
};

// Argon2 bounds for imported hashes. The upper ones keep a single login from pinning a core or
// allocating gigabytes; the lower ones are the algorithm's own minima (RFC 9106 §3.1).
constexpr uint64_t kArgon2MaxMemoryKib = 256 * 1024;  // libsodium "moderate"
constexpr uint64_t kArgon2MaxPasses = 32;
constexpr uint64_t kArgon2MaxLanes = 16;

struct SplitHash {
  std::string scheme;  // upper case, without braces
  std::string_view body;
};

Result<SplitHash> split_scheme(std::string_view stored) {
  if (stored.empty() || stored[0] != '{') return make_error("password hash has no {SCHEME} prefix");
  size_t close = stored.find('}');
  if (close == std::string_view::npos || close == 1) return make_error("password hash has a malformed {SCHEME} prefix");
  return SplitHash{to_upper(stored.substr(1, close - 1)), stored.substr(close + 1)};
}

bool is_b64_char(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

// PHC strings use unpadded standard base64; returns the decoded byte count, or nullopt if malformed.
std::optional<size_t> unpadded_b64_len(std::string_view s) {
  if (s.size() % 4 == 1) return std::nullopt;
  for (char c : s) {
    if (!is_b64_char(c)) return std::nullopt;
  }
  return s.size() * 3 / 4;
}

std::optional<uint64_t> take_param(std::string_view& s, std::string_view key) {
  if (s.substr(0, key.size()) != key) return std::nullopt;
  s.remove_prefix(key.size());
  size_t end = s.find_first_of(",$");
  std::string_view digits = s.substr(0, end);
  if (digits.empty() || digits.size() > 10 || (digits.size() > 1 && digits[0] == '0')) return std::nullopt;
  auto v = parse_u64(digits);
  s.remove_prefix(digits.size());
  return v;
}

// "$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>" (the PHC string format libsodium reads and writes).
Status check_argon2(std::string_view body, std::string_view alg) {
  if (body.size() >= crypto_pwhash_STRBYTES) return make_error("Argon2 hash: longer than 127 characters");
  std::string prefix = "$" + std::string(alg) + "$";
  if (body.substr(0, prefix.size()) != prefix) return make_error("Argon2 hash: must start with " + prefix);
  std::string_view s = body.substr(prefix.size());
  if (s.substr(0, 5) != "v=19$") return make_error("Argon2 hash: only version v=19 is supported");
  s.remove_prefix(5);
  auto m = take_param(s, "m=");
  if (!m || s.empty() || s[0] != ',') return make_error("Argon2 hash: malformed m= parameter");
  s.remove_prefix(1);
  auto t = take_param(s, "t=");
  if (!t || s.empty() || s[0] != ',') return make_error("Argon2 hash: malformed t= parameter");
  s.remove_prefix(1);
  auto p = take_param(s, "p=");
  if (!p || s.empty() || s[0] != '$') return make_error("Argon2 hash: malformed p= parameter");
  s.remove_prefix(1);
  if (*p < 1 || *p > kArgon2MaxLanes) return make_error("Argon2 hash: p= must be between 1 and 16");
  if (*t < 1 || *t > kArgon2MaxPasses) return make_error("Argon2 hash: t= must be between 1 and 32");
  if (*m < 8 * *p || *m > kArgon2MaxMemoryKib) return make_error("Argon2 hash: m= must be between 8*p and 262144 KiB (256 MiB)");
  size_t dollar = s.find('$');
  if (dollar == std::string_view::npos) return make_error("Argon2 hash: missing '$' between salt and hash");
  auto salt_len = unpadded_b64_len(s.substr(0, dollar));
  auto hash_len = unpadded_b64_len(s.substr(dollar + 1));
  if (!salt_len || *salt_len < 8) return make_error("Argon2 hash: salt must be at least 8 bytes of unpadded base64");
  if (!hash_len || *hash_len < 16) return make_error("Argon2 hash: digest must be at least 16 bytes of unpadded base64");
  return {};
}

Status check_body(Scheme scheme, std::string_view body) {
  switch (scheme) {
    case Scheme::argon2id: return check_argon2(body, "argon2id");
    case Scheme::argon2i: return check_argon2(body, "argon2i");
    case Scheme::sha512_crypt: return check_crypt_string(body, CryptKind::sha512);
    case Scheme::sha256_crypt: return check_crypt_string(body, CryptKind::sha256);
    case Scheme::blf_crypt: return check_crypt_string(body, CryptKind::bcrypt);
    case Scheme::crypt: {
      // Dovecot's {CRYPT} is "whatever crypt(3) understands": accept it only for the modern formats.
      auto kind = crypt_kind(body);
      if (!kind) return make_error("weak password scheme {CRYPT} (DES or MD5 crypt): reset the password");
      return check_crypt_string(body, *kind);
    }
  }
  return make_error("unknown password scheme");
}

// Resolves and validates; on success returns the scheme and the hash without its prefix.
Result<std::pair<Scheme, std::string_view>> resolve(std::string_view stored) {
  auto split = split_scheme(stored);
  if (!split) return split.error();
  for (const auto& accepted : kAccepted) {
    if (accepted.name == split->scheme) {
      Status st = check_body(accepted.scheme, split->body);
      if (!st) return st.error();
      return std::pair{accepted.scheme, split->body};
    }
  }
  for (std::string_view weak : kWeak) {
    if (weak == split->scheme) {
      return make_error("weak password scheme {" + split->scheme + "}: reset the password or import a stronger hash");
    }
  }
  return make_error("unknown password scheme {" + split->scheme + "}");
}

bool verify_argon2(std::string_view body, std::string_view password) {
  ensure_sodium();
  std::string hash(body);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(hash.c_str(), password.data(), password.size()) == 0;
}

bool verify_crypt(std::string_view body, std::string_view password) {
  // crypt(3) takes C strings: a NUL inside the password would silently truncate it.
  if (password.find('\0') != std::string_view::npos) return false;
  std::string phrase(password);
  std::string setting(body);
  // crypt_data is ~32 KiB: keep it off the coroutine/thread stack. Value-initialisation zeroes it,
  // which libxcrypt requires before the first call.
  auto data = std::make_unique<crypt_data>();
  const char* out = crypt_rn(phrase.c_str(), setting.c_str(), data.get(), sizeof(crypt_data));
  // libxcrypt signals failure with NULL or a string starting with '*', which never equals a valid hash.
  bool match = out != nullptr && out[0] != '*' && constant_time_equal(out, body);
  sodium_memzero(phrase.data(), phrase.size());
  sodium_memzero(data.get(), sizeof(crypt_data));
  return match;
}

}  // namespace

std::string hash_password(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kArgon2OpsLimit, kArgon2MemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    // Only fails when 64 MiB cannot be allocated: an environment fault, not bad input.
    throw std::runtime_error("crypto_pwhash_str_alg failed (out of memory?)");
  }
  return "{ARGON2ID}" + std::string(out);
}

bool verify_password(std::string_view stored, std::string_view password) {
  if (password.size() > kMaxPasswordLength) return false;
  auto resolved = resolve(stored);
  if (!resolved) return false;
  auto [scheme, body] = *resolved;
  switch (scheme) {
    case Scheme::argon2id:
    case Scheme::argon2i: return verify_argon2(body, password);
    case Scheme::sha512_crypt:
    case Scheme::sha256_crypt:
    case Scheme::blf_crypt:
    case Scheme::crypt: return verify_crypt(body, password);
  }
  return false;
}

Status validate_hash(std::string_view stored) {
  auto resolved = resolve(stored);
  if (!resolved) return resolved.error();
  return {};
}

bool needs_rehash(std::string_view stored) {
  auto resolved = resolve(stored);
  if (!resolved || resolved->first != Scheme::argon2id) return true;
  ensure_sodium();
  std::string hash(resolved->second);
  return crypto_pwhash_argon2id_str_needs_rehash(hash.c_str(), kArgon2OpsLimit, kArgon2MemLimit) != 0;
}

void verify_dummy_password(std::string_view password) {
  // Hashed from random bytes nobody knows, so no password can match; built once, on first need.
  static const std::string dummy = hash_password(random_bytes(32));
  (void)verify_password(dummy, password);
}

}  // namespace claret::auth
