// SqliteDirectory: domains, accounts, aliases and recipient resolution (RFC 5321 §2.4 case rules, RFC 5233 subaddress).
#include "store/sqlite/sqlite_directory.hpp"

#include <algorithm>

#include "store/address.hpp"
#include "store/errc.hpp"
#include "store/sqlite/message_rows.hpp"

namespace claret::store::sqlite {
namespace {

const char* const kAccountSelect =
    "SELECT a.id, a.local, d.name, a.password_hash, a.scram, a.quota, a.usage "
    "FROM accounts a JOIN domains d ON d.id = a.domain_id ";

Account account_from_row(const Statement& r) {
  Account a;
  a.id = r.int64(0);
  a.address = r.text(1) + "@" + r.text(2);
  a.password_hash = r.text(3);
  a.scram = r.text(4);
  a.quota = static_cast<uint64_t>(r.int64(5));
  a.usage = static_cast<uint64_t>(r.int64(6));
  return a;
}

int64_t domain_id(Connection& db, const std::string& domain) {
  return db.scalar(0, "SELECT id FROM domains WHERE name = ?", domain);
}

std::optional<Account> find_account(Connection& db, const Address& a) {
  static const std::string kSql = std::string(kAccountSelect) + "WHERE d.name = ? AND a.local_key = ?";
  auto q = db.query(kSql, a.domain, a.local_key());
  if (!q.step()) return std::nullopt;
  return account_from_row(q);
}

// Alias targets for an exact source (local_key "" is the catch-all); nullopt when there is no such alias.
std::optional<std::vector<std::string>> find_alias(Connection& db, const std::string& domain,
                                                   const std::string& local_key) {
  int64_t alias = db.scalar(0,
                            "SELECT al.id FROM aliases al JOIN domains d ON d.id = al.domain_id "
                            "WHERE d.name = ? AND al.local_key = ?",
                            domain, local_key);
  if (alias == 0) return std::nullopt;
  std::vector<std::string> targets;
  auto q = db.query("SELECT address FROM alias_targets WHERE alias_id = ? ORDER BY address", alias);
  while (q.step()) targets.push_back(q.text(0));
  return targets;
}

// An alias target reaches an account directly or with its +tag stripped; never through another alias (no loops).
std::optional<AccountId> resolve_target(Connection& db, const std::string& target) {
  auto addr = parse_address(target);
  if (!addr) return std::nullopt;
  if (auto a = find_account(db, *addr)) return a->id;
  if (auto base = strip_plus_tag(*addr))
    if (auto a = find_account(db, *base)) return a->id;
  return std::nullopt;
}

// Account or alias for exactly this address; nullopt when neither exists.
std::optional<std::vector<AccountId>> resolve_exact(Connection& db, const Address& addr) {
  if (auto a = find_account(db, addr)) return std::vector<AccountId>{a->id};
  auto targets = find_alias(db, addr.domain, addr.local_key());
  if (!targets) return std::nullopt;
  std::vector<AccountId> ids;
  for (const auto& t : *targets)
    if (auto id = resolve_target(db, t))
      if (std::find(ids.begin(), ids.end(), *id) == ids.end()) ids.push_back(*id);
  return ids;
}

Result<Address> parse_or_error(std::string_view address) { return parse_address(address); }

}  // namespace

Status SqliteDirectory::add_domain(std::string_view domain) {
  auto name = normalize_domain(domain);
  if (!name) return name.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    if (domain_id(ctx.db, *name) != 0) return store_error(Errc::exists, "domain exists");
    ctx.db.run("INSERT INTO domains(name) VALUES (?)", *name);
    return {};
  });
}

Result<std::vector<std::string>> SqliteDirectory::list_domains() {
  return readers_.read<std::vector<std::string>>([](Connection& db) -> Result<std::vector<std::string>> {
    std::vector<std::string> out;
    auto q = db.query("SELECT name FROM domains ORDER BY name");
    while (q.step()) out.push_back(q.text(0));
    return out;
  });
}

Status SqliteDirectory::remove_domain(std::string_view domain) {
  auto name = normalize_domain(domain);
  if (!name) return name.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    int64_t id = domain_id(ctx.db, *name);
    if (id == 0) return store_error(Errc::not_found, "no such domain");
    if (ctx.db.scalar(0, "SELECT count(*) FROM accounts WHERE domain_id = ?", id) > 0)
      return store_error(Errc::conflict, "domain still has accounts");
    ctx.db.run("DELETE FROM domains WHERE id = ?", id);  // aliases go by ON DELETE CASCADE
    return {};
  });
}

Result<Account> SqliteDirectory::create_account(const NewAccount& na) {
  auto addr = parse_or_error(na.address);
  if (!addr) return addr.error();
  return b_.write<Account>([&](WriteContext& ctx) -> Result<Account> {
    int64_t dom = domain_id(ctx.db, addr->domain);
    if (dom == 0) return store_error(Errc::not_found, "no such domain");
    if (find_account(ctx.db, *addr)) return store_error(Errc::exists, "account exists");
    ctx.db.run(
        "INSERT INTO accounts(domain_id, local, local_key, password_hash, scram, quota) VALUES (?, ?, ?, ?, ?, ?)",
        dom, addr->local, addr->local_key(), na.password_hash, na.scram, static_cast<int64_t>(na.quota));
    AccountId id = ctx.db.last_insert_rowid();
    std::vector<Change> changes;
    for (const auto& [name, use] : kDefaultMailboxes) {
      MailboxInfo m = insert_mailbox(ctx.db, id, name, use, true);
      Change c;
      c.kind = Change::Kind::mailbox_created;
      c.mailbox = m.id;
      c.mailbox_name = m.name;
      changes.push_back(std::move(c));
    }
    ctx.emit(id, std::move(changes));
    Account a;
    a.id = id;
    a.address = addr->str();
    a.password_hash = na.password_hash;
    a.scram = na.scram;
    a.quota = na.quota;
    return a;
  });
}

Result<std::vector<Account>> SqliteDirectory::list_accounts(std::optional<std::string_view> domain) {
  std::string name;
  if (domain) {
    auto d = normalize_domain(*domain);
    if (!d) return d.error();
    name = *d;
  }
  return readers_.read<std::vector<Account>>([&](Connection& db) -> Result<std::vector<Account>> {
    std::vector<Account> out;
    auto q = domain ? db.query(std::string(kAccountSelect) + "WHERE d.name = ? ORDER BY d.name, a.local_key", name)
                    : db.query(std::string(kAccountSelect) + "ORDER BY d.name, a.local_key");
    while (q.step()) out.push_back(account_from_row(q));
    return out;
  });
}

Result<Account> SqliteDirectory::get_account(std::string_view address) {
  auto addr = parse_or_error(address);
  if (!addr) return addr.error();
  return readers_.read<Account>([&](Connection& db) -> Result<Account> {
    if (auto a = find_account(db, *addr)) return *a;
    return store_error(Errc::not_found, "no such account");
  });
}

Result<Account> SqliteDirectory::get_account(AccountId id) {
  return readers_.read<Account>([&](Connection& db) -> Result<Account> {
    auto q = db.query(std::string(kAccountSelect) + "WHERE a.id = ?", id);
    if (q.step()) return account_from_row(q);
    return store_error(Errc::not_found, "no such account");
  });
}

Status SqliteDirectory::remove_account(std::string_view address) {
  auto addr = parse_or_error(address);
  if (!addr) return addr.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    auto a = find_account(ctx.db, *addr);
    if (!a) return store_error(Errc::not_found, "no such account");
    std::vector<Change> changes;
    auto q = ctx.db.query("SELECT id, name FROM mailboxes WHERE account_id = ? ORDER BY name", a->id);
    while (q.step()) {
      Change c;
      c.kind = Change::Kind::mailbox_deleted;
      c.mailbox = q.int64(0);
      c.mailbox_name = q.text(1);
      changes.push_back(std::move(c));
    }
    // Mailboxes, messages and expunge records go by ON DELETE CASCADE; triggers release the blobs.
    ctx.db.run("DELETE FROM accounts WHERE id = ?", a->id);
    ctx.emit(a->id, std::move(changes));
    return {};
  });
}

Status SqliteDirectory::set_password(std::string_view address, std::string_view password_hash,
                                     std::string_view scram) {
  auto addr = parse_or_error(address);
  if (!addr) return addr.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    auto a = find_account(ctx.db, *addr);
    if (!a) return store_error(Errc::not_found, "no such account");
    ctx.db.run("UPDATE accounts SET password_hash = ?, scram = ? WHERE id = ?", password_hash, scram, a->id);
    return {};
  });
}

Status SqliteDirectory::set_quota(std::string_view address, uint64_t quota_bytes) {
  auto addr = parse_or_error(address);
  if (!addr) return addr.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    auto a = find_account(ctx.db, *addr);
    if (!a) return store_error(Errc::not_found, "no such account");
    ctx.db.run("UPDATE accounts SET quota = ? WHERE id = ?", static_cast<int64_t>(quota_bytes), a->id);
    return {};
  });
}

Result<uint64_t> SqliteDirectory::usage(std::string_view address) {
  auto a = get_account(address);
  if (!a) return a.error();
  return a->usage;
}

Status SqliteDirectory::set_alias(const Alias& alias) {
  auto src = parse_alias_source(alias.source);
  if (!src) return src.error();
  std::vector<std::string> targets;
  for (const auto& t : alias.targets) {
    auto ta = parse_address(t);
    if (!ta) return store_error(Errc::invalid, "invalid alias target: " + t);
    targets.push_back(ta->str());
  }
  if (targets.empty()) return store_error(Errc::invalid, "an alias needs at least one target");
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    int64_t dom = domain_id(ctx.db, src->domain);
    if (dom == 0) return store_error(Errc::not_found, "no such domain");
    ctx.db.run("DELETE FROM aliases WHERE domain_id = ? AND local_key = ?", dom, src->local_key());
    ctx.db.run("INSERT INTO aliases(domain_id, local, local_key) VALUES (?, ?, ?)", dom, src->local,
               src->local_key());
    int64_t id = ctx.db.last_insert_rowid();
    for (const auto& t : targets)
      ctx.db.run("INSERT OR IGNORE INTO alias_targets(alias_id, address) VALUES (?, ?)", id, t);
    return {};
  });
}

Result<std::vector<Alias>> SqliteDirectory::list_aliases(std::optional<std::string_view> domain) {
  std::string name;
  if (domain) {
    auto d = normalize_domain(*domain);
    if (!d) return d.error();
    name = *d;
  }
  return readers_.read<std::vector<Alias>>([&](Connection& db) -> Result<std::vector<Alias>> {
    std::vector<Alias> out;
    static const std::string kSelect =
        "SELECT al.local, d.name, t.address FROM aliases al JOIN domains d ON d.id = al.domain_id "
        "JOIN alias_targets t ON t.alias_id = al.id ";
    static const std::string kOrder = " ORDER BY d.name, al.local_key, t.address";
    auto q = domain ? db.query(kSelect + "WHERE d.name = ?" + kOrder, name) : db.query(kSelect + kOrder);
    while (q.step()) {
      std::string source = q.text(0) + "@" + q.text(1);
      if (out.empty() || out.back().source != source) out.push_back(Alias{source, {}});
      out.back().targets.push_back(q.text(2));
    }
    return out;
  });
}

Status SqliteDirectory::remove_alias(std::string_view source) {
  auto src = parse_alias_source(source);
  if (!src) return src.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    int64_t dom = domain_id(ctx.db, src->domain);
    ctx.db.run("DELETE FROM aliases WHERE domain_id = ? AND local_key = ?", dom, src->local_key());
    if (ctx.db.changes() == 0) return store_error(Errc::not_found, "no such alias");
    return {};
  });
}

namespace {

// resolve_recipient's precedence, inside the caller's read transaction.
Result<std::vector<AccountId>> resolve_in(Connection& db, const Address& addr) {
  auto found = [](const std::optional<std::vector<AccountId>>& ids) { return ids && !ids->empty(); };
  auto r = resolve_exact(db, addr);
  if (found(r)) return *r;
  if (auto base = strip_plus_tag(addr)) {
    r = resolve_exact(db, *base);
    if (found(r)) return *r;
  }
  r = resolve_exact(db, Address{"", addr.domain});
  if (found(r)) return *r;
  return store_error(Errc::not_found, "no such recipient");
}

}  // namespace

Result<std::vector<AccountId>> SqliteDirectory::resolve_recipient(std::string_view address) {
  auto addr = parse_or_error(address);
  if (!addr) return addr.error();
  return readers_.read<std::vector<AccountId>>([&](Connection& db) { return resolve_in(db, *addr); });
}

Result<RecipientLookup> SqliteDirectory::lookup_recipient(std::string_view domain, std::string_view address) {
  auto addr = parse_or_error(address);
  return readers_.read<RecipientLookup>([&](Connection& db) -> Result<RecipientLookup> {
    RecipientLookup out;
    out.local_domain = db.scalar(0, "SELECT id FROM domains WHERE name = ?", domain) != 0;
    if (!out.local_domain) return out;
    if (!addr) {
      out.unresolved = addr.error();
      return out;
    }
    auto ids = resolve_in(db, *addr);
    if (!ids) {
      out.unresolved = ids.error();
      return out;
    }
    for (AccountId id : *ids) {
      static const std::string kSql = std::string(kAccountSelect) + "WHERE a.id = ?";
      auto q = db.query(kSql, id);
      // Gone between resolution and this read cannot happen inside one snapshot; skip defensively.
      if (q.step()) out.accounts.push_back(account_from_row(q));
    }
    return out;
  });
}

}  // namespace claret::store::sqlite
