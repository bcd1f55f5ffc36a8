// Test-only helper: an in-memory account table behind a CredentialLookup, counting lookups.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "auth/password_hash.hpp"
#include "auth/sasl_mechanism.hpp"
#include "auth/scram_credential.hpp"

namespace claret::auth::testing {

struct TestAccounts {
  std::map<std::string, Credentials, std::less<>> accounts;
  std::shared_ptr<int> lookups = std::make_shared<int>(0);

  void add(const std::string& user, std::string_view password) {
    // Hashes are computed once per process: Argon2id is deliberately slow.
    static std::map<std::string, Credentials, std::less<>> cache;
    auto it = cache.find(password);
    if (it == cache.end()) {
      it = cache.emplace(std::string(password), Credentials{hash_password(password), make_scram_sha256(password)}).first;
    }
    accounts[user] = it->second;
  }

  CredentialLookup lookup() const {
    auto table = accounts;
    auto counter = lookups;
    return [table, counter](std::string_view user) -> std::optional<Credentials> {
      ++*counter;
      auto it = table.find(user);
      if (it == table.end()) return std::nullopt;
      return it->second;
    };
  }
};

}  // namespace claret::auth::testing
