// SqliteDirectory: Directory over the SQLite schema (domains, accounts, aliases, alias_targets).
#pragma once

#include "store/directory.hpp"
#include "store/sqlite/backend.hpp"

namespace claret::store::sqlite {

class SqliteDirectory final : public Directory {
 public:
  explicit SqliteDirectory(Backend& backend)
      : b_(backend), readers_(backend.data_dir + "/claret.db", kReaders, /*map_file=*/false, "directory") {}

  Status add_domain(std::string_view domain) override;
  Result<std::vector<std::string>> list_domains() override;
  Status remove_domain(std::string_view domain) override;
  Result<Account> create_account(const NewAccount& account) override;
  Result<std::vector<Account>> list_accounts(std::optional<std::string_view> domain) override;
  Result<Account> get_account(std::string_view address) override;
  Result<Account> get_account(AccountId id) override;
  Status remove_account(std::string_view address) override;
  Status set_password(std::string_view address, std::string_view password_hash, std::string_view scram) override;
  Status set_quota(std::string_view address, uint64_t quota_bytes) override;
  Result<uint64_t> usage(std::string_view address) override;
  Status set_alias(const Alias& alias) override;
  Result<std::vector<Alias>> list_aliases(std::optional<std::string_view> domain) override;
  Status remove_alias(std::string_view source) override;
  Result<std::vector<AccountId>> resolve_recipient(std::string_view address) override;
  Result<RecipientLookup> lookup_recipient(std::string_view domain, std::string_view address) override;

 private:
  // Lookups (RCPT, delivery, login) read a few small rows. They get read connections of their own, without the
  // file mapping of the shared pool: a WAL reader whose snapshot is older than the last commit resets its page cache
  // and SQLite also unmaps its whole file mapping (pagerBeginReadTransaction → sqlite3OsUnfetch), so under SMTP
  // load every lookup paid munmap + mmap + page faults (and TLB shootdowns on the other core) instead of a few
  // preads. Separate connections also keep these lookups from queueing behind long FETCH/SEARCH reads.
  static constexpr size_t kReaders = 4;
  Backend& b_;
  ReaderPool readers_;
};

}  // namespace claret::store::sqlite
