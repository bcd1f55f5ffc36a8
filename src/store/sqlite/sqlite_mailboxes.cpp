// SqliteMailStore mailbox operations: CREATE/DELETE/RENAME/LIST/SUBSCRIBE/STATUS (RFC 9051 §6.3, RFC 6154 §5).
#include <algorithm>

#include "store/address.hpp"
#include "store/errc.hpp"
#include "store/sqlite/flag_queries.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/sqlite_mail_store.hpp"

namespace claret::store::sqlite {
namespace {

bool valid_special_use(std::string_view use) {
  static constexpr const char* kKnown[] = {special_use::kDrafts, special_use::kSent,  special_use::kTrash,
                                           special_use::kJunk,   special_use::kArchive, special_use::kAll,
                                           special_use::kFlagged};
  if (use.empty()) return true;
  return std::any_of(std::begin(kKnown), std::end(kKnown), [&](const char* k) { return use == k; });
}

Change mailbox_change(Change::Kind kind, const MailboxInfo& m) {
  Change c;
  c.kind = kind;
  c.mailbox = m.id;
  c.mailbox_name = m.name;
  c.modseq = m.highestmodseq;
  return c;
}

// Children of `name` are the names in ["name/", "name0"): '0' follows '/' in ASCII, and BINARY collation compares
// bytes, so this is an exact, case-sensitive, index-friendly prefix match (LIKE would fold ASCII case).
const char* const kChildrenWhere = "account_id = ? AND name >= ? AND name < ?";
std::string child_low(const std::string& name) { return name + "/"; }
std::string child_high(const std::string& name) { return name + "0"; }

// Inserts `name` and any missing superiors (RFC 9051 §6.3.4); returns the mailbox_created changes, `name` last.
std::vector<Change> create_with_parents(Connection& db, AccountId account, const std::string& name,
                                        const std::string& special_use = "") {
  std::vector<Change> changes;
  for (size_t pos = name.find(kMailboxSeparator); pos != std::string::npos;
       pos = name.find(kMailboxSeparator, pos + 1)) {
    std::string parent = name.substr(0, pos);
    if (!find_mailbox(db, account, parent))
      changes.push_back(mailbox_change(Change::Kind::mailbox_created, insert_mailbox(db, account, parent, "", false)));
  }
  changes.push_back(mailbox_change(Change::Kind::mailbox_created, insert_mailbox(db, account, name, special_use, false)));
  return changes;
}

}  // namespace

Result<MailboxInfo> SqliteMailStore::create_mailbox(std::string_view raw, std::string_view use) {
  auto name = normalize_mailbox_name(raw);
  if (!name) return name.error();
  if (!valid_special_use(use)) return store_error(Errc::invalid, "unknown special-use attribute");
  return b_.write<MailboxInfo>([&](WriteContext& ctx) -> Result<MailboxInfo> {
    if (auto existing = find_mailbox(ctx.db, account_, *name)) {
      if (!existing->noselect) return store_error(Errc::exists, "mailbox exists");
      // Re-creating a \Noselect name makes a fresh mailbox (new UIDVALIDITY); its children keep their names.
      ctx.db.run("DELETE FROM mailboxes WHERE id = ?", existing->id);
    }
    std::vector<Change> changes = create_with_parents(ctx.db, account_, *name, std::string(use));
    MailboxInfo m = *find_mailbox(ctx.db, account_, *name);
    ctx.emit(account_, std::move(changes));
    return m;
  });
}

Result<std::vector<Change>> SqliteMailStore::delete_mailbox(std::string_view raw) {
  auto name = normalize_mailbox_name(raw);
  if (!name) return name.error();
  if (*name == "INBOX") return store_error(Errc::invalid, "INBOX cannot be deleted");
  return b_.write<std::vector<Change>>([&](WriteContext& ctx) -> Result<std::vector<Change>> {
    auto m = find_mailbox(ctx.db, account_, *name);
    if (!m) return store_error(Errc::not_found, "no such mailbox");
    bool has_children = ctx.db.scalar(0, std::string("SELECT count(*) FROM mailboxes WHERE ") + kChildrenWhere,
                                      account_, child_low(*name), child_high(*name)) > 0;
    if (has_children) {
      // RFC 9051 §6.3.5: the messages go, the name stays as \Noselect for its children; deleting it again fails.
      if (m->noselect) return store_error(Errc::conflict, "mailbox is \\Noselect and has children");
      ctx.db.run("DELETE FROM messages WHERE mailbox_id = ?", m->id);
      ctx.db.run("DELETE FROM expunged WHERE mailbox_id = ?", m->id);
      ctx.db.run("UPDATE mailboxes SET noselect = 1, special_use = '' WHERE id = ?", m->id);
    } else {
      // Messages and expunge records go by ON DELETE CASCADE; the messages trigger releases blobs and quota.
      ctx.db.run("DELETE FROM mailboxes WHERE id = ?", m->id);
    }
    std::vector<Change> changes{mailbox_change(Change::Kind::mailbox_deleted, *m)};
    ctx.emit(account_, changes);
    return changes;
  });
}

Result<std::vector<Change>> SqliteMailStore::rename_mailbox(std::string_view raw_from, std::string_view raw_to) {
  auto from = normalize_mailbox_name(raw_from);
  if (!from) return from.error();
  auto to = normalize_mailbox_name(raw_to);
  if (!to) return to.error();
  if (*to == "INBOX")
    return store_error(Errc::invalid, "cannot rename to INBOX");
  if (*from != "INBOX" && to->size() > from->size() && to->compare(0, from->size() + 1, *from + "/") == 0)
    return store_error(Errc::invalid, "cannot rename a mailbox into its own child");
  return b_.write<std::vector<Change>>([&](WriteContext& ctx) -> Result<std::vector<Change>> {
    auto m = find_mailbox(ctx.db, account_, *from);
    if (!m) return store_error(Errc::not_found, "no such mailbox");
    if (find_mailbox(ctx.db, account_, *to)) return store_error(Errc::exists, "target mailbox exists");
    if (*from == "INBOX") {
      // RFC 9051 §6.3.6: renaming INBOX moves its messages to a new mailbox and leaves INBOX (and its inferiors).
      std::vector<Change> changes = create_with_parents(ctx.db, account_, *to);
      auto target = find_mailbox(ctx.db, account_, *to);
      auto moved = copy_in_tx(ctx, account_, *m, *target, UidSet::all(), true);
      if (!moved) return moved.error();
      changes.insert(changes.end(), moved->changes.begin(), moved->changes.end());
      ctx.emit(account_, changes);
      return changes;
    }
    // Collect the mailbox and its children first, then rename: the new names must all be free.
    std::vector<std::pair<MailboxId, std::string>> moves{{m->id, *from}};
    {
      auto q = ctx.db.query(std::string("SELECT id, name FROM mailboxes WHERE ") + kChildrenWhere, account_,
                            child_low(*from), child_high(*from));
      while (q.step()) moves.emplace_back(q.int64(0), q.text(1));
    }
    std::vector<Change> changes;
    // Superiors of the new name are created like CREATE does (RFC 9051 §6.3.6).
    for (size_t pos = to->find(kMailboxSeparator); pos != std::string::npos;
         pos = to->find(kMailboxSeparator, pos + 1)) {
      std::string parent = to->substr(0, pos);
      if (!find_mailbox(ctx.db, account_, parent))
        changes.push_back(
            mailbox_change(Change::Kind::mailbox_created, insert_mailbox(ctx.db, account_, parent, "", false)));
    }
    for (const auto& [id, old_name] : moves) {
      std::string new_name = *to + old_name.substr(from->size());
      if (id != m->id && find_mailbox(ctx.db, account_, new_name))
        return store_error(Errc::exists, "target child mailbox exists: " + new_name);
      ctx.db.run("UPDATE mailboxes SET name = ? WHERE id = ?", new_name, id);
      Change c;
      c.kind = Change::Kind::mailbox_renamed;
      c.mailbox = id;
      c.mailbox_name = new_name;
      c.old_name = old_name;
      changes.push_back(std::move(c));
    }
    ctx.emit(account_, changes);
    return changes;
  });
}

Result<std::vector<MailboxInfo>> SqliteMailStore::list_mailboxes() {
  return b_.read<std::vector<MailboxInfo>>([&](Connection& db) -> Result<std::vector<MailboxInfo>> {
    std::vector<MailboxInfo> out;
    auto q = db.query(std::string("SELECT ") + kMailboxColumns + " FROM mailboxes WHERE account_id = ? ORDER BY name",
                      account_);
    while (q.step()) out.push_back(mailbox_from_row(q));
    return out;
  });
}

Result<MailboxInfo> SqliteMailStore::get_mailbox(std::string_view raw) {
  auto name = normalize_mailbox_name(raw);
  if (!name) return name.error();
  return b_.read<MailboxInfo>([&](Connection& db) -> Result<MailboxInfo> {
    if (auto m = find_mailbox(db, account_, *name)) return *m;
    return store_error(Errc::not_found, "no such mailbox");
  });
}

Result<SelectSnapshot> SqliteMailStore::select_snapshot(std::string_view raw) {
  auto name = normalize_mailbox_name(raw);
  if (!name) return name.error();
  // One statement for the row, the listing's key and the \Recent mark: SELECT of a big mailbox is otherwise nothing
  // but this read (the listing is the cached one), so each extra statement was a visible share of its time.
  static const std::string sql = std::string("SELECT ") + kMailboxColumns +
                                 ", total, unseen, recent_uid FROM mailboxes WHERE account_id = ? AND name = ?";
  // Taken before the transaction begins: a commit between the two makes the memo entry look stale, never fresh.
  const auto stamp = commit_stamp();
  auto snap = b_.read<SelectSnapshot>([&](Connection& db) -> Result<SelectSnapshot> {
    SelectSnapshot out;
    FlagCache::Key key;
    {
      auto q = db.query(sql, account_, *name);
      if (!q.step()) return store_error(Errc::not_found, "no such mailbox");
      out.info = mailbox_from_row(q);
      if (out.info.noselect) return store_error(Errc::invalid, "mailbox is \\Noselect");
      constexpr int k = kMailboxColumnCount;
      key.uidvalidity = out.info.uidvalidity;
      key.uidnext = out.info.uidnext;
      key.highestmodseq = out.info.highestmodseq;
      key.total = static_cast<uint64_t>(q.int64(k));
      key.unseen = static_cast<uint64_t>(q.int64(k + 1));
      out.first_recent_uid = static_cast<uint32_t>(q.int64(k + 2));
    }
    // The same snapshot as the row, so the listing's UIDNEXT/HIGHESTMODSEQ are the row's.
    out.listing = b_.flags->get_with_key(db, out.info.id, key, true).listing;
    return out;
  });
  if (snap && stamp) b_.select_memo.put(account_, *name, *snap, *stamp);
  return snap;
}

std::optional<CommitStamp> SqliteMailStore::commit_stamp() {
  return b_.wal_probe ? b_.wal_probe->stamp() : std::nullopt;
}

std::optional<SelectSnapshot> SqliteMailStore::select_snapshot_in_memory(std::string_view raw) {
  auto now = commit_stamp();
  if (!now) return std::nullopt;
  auto name = normalize_mailbox_name(raw);
  if (!name) return std::nullopt;
  return b_.select_memo.get(account_, *name, *now);
}

Status SqliteMailStore::set_subscribed(std::string_view raw, bool subscribed) {
  auto name = normalize_mailbox_name(raw);
  if (!name) return name.error();
  return b_.write<void>([&](WriteContext& ctx) -> Status {
    ctx.db.run("UPDATE mailboxes SET subscribed = ? WHERE account_id = ? AND name = ?", subscribed ? 1 : 0, account_,
               *name);
    if (ctx.db.changes() == 0) return store_error(Errc::not_found, "no such mailbox");
    if (auto m = find_mailbox(ctx.db, account_, *name)) {
      Change c = mailbox_change(Change::Kind::subscription_changed, *m);
      c.subscribed = subscribed;
      ctx.emit(account_, {std::move(c)});
    }
    return {};
  });
}

Result<MailboxStatus> SqliteMailStore::status(MailboxId mailbox) {
  return b_.read<MailboxStatus>([&](Connection& db) -> Result<MailboxStatus> {
    auto m = find_mailbox(db, account_, mailbox);
    if (!m) return store_error(Errc::not_found, "no such mailbox");
    MailboxStatus s;
    s.uidnext = m->uidnext;
    s.uidvalidity = m->uidvalidity;
    s.highestmodseq = m->highestmodseq;
    auto q = db.query("SELECT total, total_size, unseen, recent_uid FROM mailboxes WHERE id = ?", mailbox);
    if (q.step()) {
      s.messages = static_cast<uint32_t>(q.int64(0));
      s.size = static_cast<uint64_t>(q.int64(1));
      s.unseen = static_cast<uint32_t>(q.int64(2));
      s.first_recent_uid = static_cast<uint32_t>(q.int64(3));
    }
    if (s.first_recent_uid < s.uidnext) {  // usually nothing is unclaimed: no count then
      auto c = db.query(flag_sql::kCountFromUid, mailbox,
                        static_cast<int64_t>(s.first_recent_uid));
      if (c.step()) s.recent = static_cast<uint32_t>(c.int64(0));
    }
    return s;
  });
}

Result<RecentClaim> SqliteMailStore::claim_recent(MailboxId mailbox) {
  return b_.write<RecentClaim>([&](WriteContext& ctx) -> Result<RecentClaim> {
    RecentClaim c;
    {
      auto q = ctx.db.query("SELECT recent_uid, uidnext FROM mailboxes WHERE id = ? AND account_id = ?", mailbox,
                            account_);
      if (!q.step()) return store_error(Errc::not_found, "no such mailbox");
      c.from = static_cast<uint32_t>(q.int64(0));
      c.to = static_cast<uint32_t>(q.int64(1));
    }
    if (c.from < c.to) ctx.db.run("UPDATE mailboxes SET recent_uid = ? WHERE id = ?", static_cast<int64_t>(c.to), mailbox);
    else c.from = c.to;
    return c;
  },
  // Like flags: losing the last claims in a power cut only shows a few messages as \Recent again.
  Durability::relaxed);
}

}  // namespace claret::store::sqlite
