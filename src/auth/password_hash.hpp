// Stored password hashes in Dovecot's "{SCHEME}hash" form: Argon2id (RFC 9106) for new hashes; Argon2i,
// SHA-crypt and bcrypt accepted for imported accounts.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "base/result.hpp"

namespace claret::auth {

// Argon2id cost for new hashes: libsodium's "interactive" memory (64 MiB) with one more pass than its
// interactive preset (t=3), which RFC 9106 §4 lists as the second recommended option for low-memory hosts.
inline constexpr unsigned long long kArgon2OpsLimit = 3;
inline constexpr size_t kArgon2MemLimit = 64u * 1024u * 1024u;
// Longer passwords are refused outright: SHA-crypt's cost grows with password length, and no human
// types more than this.
inline constexpr size_t kMaxPasswordLength = 1024;

// "{ARGON2ID}$argon2id$v=19$m=65536,t=3,p=1$<salt>$<hash>" with a fresh random salt.
std::string hash_password(std::string_view password);

// True when `password` matches `stored`. Accepts {ARGON2ID}, {ARGON2I}, {SHA512-CRYPT}, {SHA256-CRYPT},
// {BLF-CRYPT}, and {CRYPT} holding one of those crypt formats. Anything validate_hash rejects, and
// passwords over kMaxPasswordLength or (for crypt schemes) containing NUL, never match.
bool verify_password(std::string_view stored, std::string_view password);

// For imports: the scheme is known, the hash is well formed, its cost is bounded, and the scheme is not
// weak ({PLAIN}, {CLEAR}, {MD5}, {PLAIN-MD5}, DES {CRYPT}, {SHA}, salted fast hashes …).
Status validate_hash(std::string_view stored);

// True for anything but an {ARGON2ID} hash with exactly our current parameters, so a successful login
// can store hash_password(password) in its place.
bool needs_rehash(std::string_view stored);

// Spends the same time as verifying a real Argon2id hash, against a hash no password matches. Called
// when the account is unknown so response timing does not reveal whether it exists.
void verify_dummy_password(std::string_view password);

}  // namespace claret::auth
