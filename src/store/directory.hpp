// Directory: domains, accounts and aliases, and recipient resolution for SMTP RCPT / LMTP (RFC 5321 §3.3, §4.1.1.3).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.hpp"
#include "store/types.hpp"

namespace claret::store {

struct Account {
  AccountId id = 0;
  std::string address;        // local@domain, local part as created, domain lower case
  std::string password_hash;  // opaque to the store (auth/ defines the format)
  std::string scram;          // opaque SCRAM-SHA-256 credential (RFC 7677)
  uint64_t quota = 0;         // bytes; 0 = unlimited
  uint64_t usage = 0;         // bytes of all stored messages
};

struct NewAccount {
  std::string address;
  std::string password_hash;
  std::string scram;
  uint64_t quota = 0;
};

// What an SMTP/LMTP RCPT needs to know about one address, read in one snapshot (one read transaction instead of a
// domain listing, a resolution and an account read per target: three WAL read transactions per RCPT before).
struct RecipientLookup {
  bool local_domain = false;        // the address's domain is one of ours
  std::optional<Error> unresolved;  // local domain, but resolve_recipient would fail (not_found, invalid)
  std::vector<Account> accounts;    // the accounts it reaches, in resolve_recipient's order, with quota and usage
};

struct Alias {
  std::string source;                // local@domain, or "@domain" for the catch-all
  std::vector<std::string> targets;  // addresses; only those naming local accounts resolve (targets are not aliases)
};

// Thread-safe. Addresses are matched with the domain and the local part compared case-insensitively (ASCII).
class Directory {
 public:
  virtual ~Directory() = default;

  virtual Status add_domain(std::string_view domain) = 0;
  virtual Result<std::vector<std::string>> list_domains() = 0;
  // Refused (Errc::conflict) while the domain has accounts; its aliases are removed with it.
  virtual Status remove_domain(std::string_view domain) = 0;

  // The domain must exist. Also creates INBOX, Drafts, Sent, Trash, Junk, Archive (special-use, subscribed).
  virtual Result<Account> create_account(const NewAccount& account) = 0;
  // All accounts, or those of one domain.
  virtual Result<std::vector<Account>> list_accounts(std::optional<std::string_view> domain) = 0;
  virtual Result<Account> get_account(std::string_view address) = 0;
  virtual Result<Account> get_account(AccountId id) = 0;
  // Deletes the account with all its mailboxes and messages.
  virtual Status remove_account(std::string_view address) = 0;
  virtual Status set_password(std::string_view address, std::string_view password_hash, std::string_view scram) = 0;
  virtual Status set_quota(std::string_view address, uint64_t quota_bytes) = 0;
  virtual Result<uint64_t> usage(std::string_view address) = 0;

  // Replaces any existing alias with the same source (whose domain must exist). Needs at least one valid target.
  virtual Status set_alias(const Alias& alias) = 0;
  virtual Result<std::vector<Alias>> list_aliases(std::optional<std::string_view> domain) = 0;
  virtual Status remove_alias(std::string_view source) = 0;

  // Accounts receiving mail sent to `address`, in this order of precedence: an account with that address; an alias
  // with that source; the same two with a "+tag" stripped from the local part; the domain's catch-all alias.
  // Alias targets resolve to accounts (directly or with their +tag stripped), never to further aliases.
  // Errc::not_found when nothing matches.
  virtual Result<std::vector<AccountId>> resolve_recipient(std::string_view address) = 0;
  // `domain` (lower case) hosted here? If so, resolve_recipient(address) and read the resulting accounts, all in one
  // snapshot. Only store failures are errors; an unknown user is `unresolved`.
  virtual Result<RecipientLookup> lookup_recipient(std::string_view domain, std::string_view address) = 0;
};

}  // namespace claret::store
