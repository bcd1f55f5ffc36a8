// Syntax checks for SHA-crypt ("Unix crypt using SHA-256 and SHA-512", U. Drepper) and bcrypt ($2b$ per OpenBSD).
#include "auth/crypt_format.hpp"

#include "base/strings.hpp"

namespace claret::auth {

namespace {

// The crypt(3) "hash64" alphabet shared by SHA-crypt and bcrypt (order differs, membership does not).
bool is_crypt64(char c) {
  return c == '.' || c == '/' || (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

bool all_crypt64(std::string_view s) {
  for (char c : s) {
    if (!is_crypt64(c)) return false;
  }
  return true;
}

Status check_sha_crypt(std::string_view hash, CryptKind kind) {
  const size_t digest_len = kind == CryptKind::sha512 ? 86 : 43;
  std::string_view rest = hash.substr(3);  // after "$5$" or "$6$"
  constexpr std::string_view kRounds = "rounds=";
  if (rest.substr(0, kRounds.size()) == kRounds) {
    rest.remove_prefix(kRounds.size());
    size_t dollar = rest.find('$');
    if (dollar == std::string_view::npos) return make_error("SHA-crypt hash: rounds= is not terminated by '$'");
    std::string_view digits = rest.substr(0, dollar);
    auto rounds = parse_u64(digits);
    if (!rounds || (digits.size() > 1 && digits[0] == '0')) return make_error("SHA-crypt hash: invalid rounds value");
    if (*rounds < kShaCryptMinRounds || *rounds > kShaCryptMaxRounds) {
      return make_error("SHA-crypt hash: rounds must be between 1000 and 1000000");
    }
    rest.remove_prefix(dollar + 1);
  }
  size_t dollar = rest.find('$');
  if (dollar == std::string_view::npos) return make_error("SHA-crypt hash: missing '$' after the salt");
  std::string_view salt = rest.substr(0, dollar);
  std::string_view digest = rest.substr(dollar + 1);
  if (salt.empty() || salt.size() > 16 || !all_crypt64(salt)) {
    return make_error("SHA-crypt hash: salt must be 1 to 16 characters of [./0-9A-Za-z]");
  }
  if (digest.size() != digest_len || !all_crypt64(digest)) {
    return make_error(kind == CryptKind::sha512 ? "SHA512-crypt hash: digest must be 86 characters of [./0-9A-Za-z]"
                                                : "SHA256-crypt hash: digest must be 43 characters of [./0-9A-Za-z]");
  }
  return {};
}

Status check_bcrypt(std::string_view hash) {
  // $2b$NN$ + 22 salt characters + 31 digest characters = 60 in all.
  if (hash.size() != 60) return make_error("bcrypt hash: must be exactly 60 characters");
  if (hash[6] != '$') return make_error("bcrypt hash: missing '$' after the cost");
  auto cost = parse_u64(hash.substr(4, 2));
  if (!cost) return make_error("bcrypt hash: cost must be two digits");
  if (*cost < kBcryptMinCost || *cost > kBcryptMaxCost) return make_error("bcrypt hash: cost must be between 04 and 16");
  if (!all_crypt64(hash.substr(7))) return make_error("bcrypt hash: salt and digest must use [./0-9A-Za-z]");
  return {};
}

}  // namespace

std::optional<CryptKind> crypt_kind(std::string_view hash) {
  if (hash.substr(0, 3) == "$5$") return CryptKind::sha256;
  if (hash.substr(0, 3) == "$6$") return CryptKind::sha512;
  if (hash.size() >= 4 && hash.substr(0, 2) == "$2" && hash[3] == '$' &&
      (hash[2] == 'a' || hash[2] == 'b' || hash[2] == 'y')) {
    return CryptKind::bcrypt;
  }
  return std::nullopt;
}

Status check_crypt_string(std::string_view hash, CryptKind kind) {
  auto actual = crypt_kind(hash);
  if (!actual || *actual != kind) {
    switch (kind) {
      case CryptKind::sha256: return make_error("SHA256-crypt hash must start with $5$");
      case CryptKind::sha512: return make_error("SHA512-crypt hash must start with $6$");
      case CryptKind::bcrypt: return make_error("bcrypt hash must start with $2a$, $2b$ or $2y$");
    }
  }
  return kind == CryptKind::bcrypt ? check_bcrypt(hash) : check_sha_crypt(hash, kind);
}

}  // namespace claret::auth
