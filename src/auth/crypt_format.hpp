// Syntax checks for modular crypt strings: SHA-crypt $5$/$6$ (Drepper's spec) and bcrypt $2a$/$2b$/$2y$.
#pragma once

#include <optional>
#include <string_view>

#include "base/result.hpp"

namespace claret::auth {

enum class CryptKind { sha256, sha512, bcrypt };

// SHA-crypt rounds outside this range are rejected: below is the algorithm minimum, above would let
// one imported hash stall a login thread for seconds (a cheap denial of service).
inline constexpr unsigned long kShaCryptMinRounds = 1000;
inline constexpr unsigned long kShaCryptMaxRounds = 1000000;
inline constexpr unsigned kBcryptMinCost = 4;
inline constexpr unsigned kBcryptMaxCost = 16;

// Which algorithm a crypt string names by its prefix ($5$, $6$, $2a$/$2b$/$2y$); nullopt for others.
std::optional<CryptKind> crypt_kind(std::string_view hash);
// Checks the full string is a well-formed hash of `kind`: prefix, rounds/cost, salt alphabet and length,
// hash alphabet and exact length. The message is one line and names the fault.
Status check_crypt_string(std::string_view hash, CryptKind kind);

}  // namespace claret::auth
