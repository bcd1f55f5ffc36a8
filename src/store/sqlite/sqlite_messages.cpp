// SqliteMailStore message operations: APPEND, STORE (RFC 7162 §3.1.3 UNCHANGEDSINCE), EXPUNGE with QRESYNC records
// (RFC 7162 §3.2.10), COPY/MOVE with UIDPLUS mapping (RFC 4315 §3, RFC 6851 §3), FETCH metadata, CHANGEDSINCE.
#include <algorithm>
#include <limits>

#include "base/strings.hpp"
#include "store/errc.hpp"
#include "store/sqlite/flag_queries.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/sqlite_blob_store.hpp"
#include "store/sqlite/sqlite_mail_store.hpp"

namespace claret::store::sqlite {
namespace {

Error no_mailbox() { return store_error(Errc::not_found, "no such mailbox"); }

bool uid_space_left(const MailboxInfo& m, uint64_t count) {
  return static_cast<uint64_t>(m.uidnext) + count <= std::numeric_limits<uint32_t>::max();
}

struct Row {
  int64_t id = 0;
  uint32_t uid = 0;
  uint64_t modseq = 0;
  uint64_t size = 0;
  Flags flags;
};

// Messages of a mailbox in a uid set, ascending.
std::vector<Row> select_rows(Connection& db, MailboxId mailbox, const UidSet& uids) {
  std::vector<Row> rows;
  auto q = select_by_uids(db, "SELECT id, uid, modseq, size, flags, keywords FROM messages WHERE mailbox_id = ?1 AND",
                          uids, "ORDER BY uid");
  q.bind(1, mailbox);
  while (q.step()) {
    uint32_t uid = static_cast<uint32_t>(q.int64(1));
    if (!uids.contains(uid)) continue;
    Row r;
    r.id = q.int64(0);
    r.uid = uid;
    r.modseq = static_cast<uint64_t>(q.int64(2));
    r.size = static_cast<uint64_t>(q.int64(3));
    r.flags.system = static_cast<uint32_t>(q.int64(4));
    r.flags.keywords = decode_keywords(q.text(5));
    rows.push_back(std::move(r));
  }
  return rows;
}

Flags apply_op(const Flags& old, FlagOp op, const Flags& f) {
  Flags out;
  switch (op) {
    case FlagOp::replace:
      out = f;
      break;
    case FlagOp::add:
      out.system = old.system | f.system;
      out.keywords = old.keywords;
      out.keywords.insert(out.keywords.end(), f.keywords.begin(), f.keywords.end());
      break;
    case FlagOp::remove:
      out.system = old.system & ~f.system;
      for (const auto& k : old.keywords) {
        bool drop = std::any_of(f.keywords.begin(), f.keywords.end(), [&](const std::string& r) { return iequals(r, k); });
        if (!drop) out.keywords.push_back(k);
      }
      break;
  }
  out.system &= flag::kAll;
  out.keywords = normalize_keywords(out.keywords);
  return out;
}

// Keyword sets equal ignoring case (both normalized, so same order).
bool same_flags(const Flags& a, const Flags& b) {
  if (a.system != b.system || a.keywords.size() != b.keywords.size()) return false;
  for (size_t i = 0; i < a.keywords.size(); ++i)
    if (!iequals(a.keywords[i], b.keywords[i])) return false;
  return true;
}

Change expunge_change(const MailboxInfo& m, std::vector<uint32_t> uids, uint64_t modseq) {
  Change c;
  c.kind = Change::Kind::expunged;
  c.mailbox = m.id;
  c.mailbox_name = m.name;
  c.uids = std::move(uids);
  c.modseq = modseq;
  return c;
}

// Deletes the rows and records (uid, modseq) for QRESYNC VANISHED; returns the new HIGHESTMODSEQ.
uint64_t expunge_rows(Connection& db, const MailboxInfo& m, const std::vector<Row>& rows) {
  uint64_t modseq = bump_modseq(db, m.id);
  for (const Row& r : rows) {
    db.run("DELETE FROM messages WHERE id = ?", r.id);
    db.run("INSERT OR REPLACE INTO expunged(mailbox_id, uid, modseq) VALUES (?, ?, ?)", m.id,
           static_cast<int64_t>(r.uid), static_cast<int64_t>(modseq));
  }
  return modseq;
}

}  // namespace

Result<AppendResult> append_in_tx(WriteContext& ctx, BlobStore& blobs, AccountId account, const MailboxInfo& mailbox,
                                  const BlobRef& blob, const Flags& flags, int64_t internaldate,
                                  const MessageMeta& meta) {
  if (!is_valid_blob_id(blob.id)) return store_error(Errc::invalid, "invalid blob id");
  if (mailbox.noselect) return store_error(Errc::invalid, "mailbox is not selectable");
  if (!uid_space_left(mailbox, 1)) return store_error(Errc::invalid, "mailbox UID space exhausted");
  if (!fits_quota(ctx.db, account, blob.size)) return store_error(Errc::over_quota, "mailbox quota exceeded");
  // Last check before writing: the blob's bytes go into this transaction (or its file must exist).
  Status stored = store_blob_in_tx(ctx.db, blobs, blob);
  if (!stored) return stored.error();
  int64_t thread = assign_thread(ctx.db, account, meta);
  auto [uid, modseq] = reserve_uids(ctx.db, mailbox.id, 1);
  NewMessage m;
  m.account = account;
  m.mailbox = mailbox.id;
  m.uid = uid;
  m.modseq = modseq;
  m.blob_id = blob.id;
  m.size = blob.size;
  m.internaldate = internaldate;
  m.flags = Flags{flags.system & flag::kAll, normalize_keywords(flags.keywords)};
  m.thread_id = thread;
  insert_message(ctx.db, m, meta);
  Change c;
  c.kind = Change::Kind::message_added;
  c.mailbox = mailbox.id;
  c.mailbox_name = mailbox.name;
  c.uids = {uid};
  c.flags = m.flags;
  c.modseq = modseq;
  AppendResult r;
  r.uidvalidity = mailbox.uidvalidity;
  r.uid = uid;
  r.modseq = modseq;
  r.changes = {c};
  ctx.emit(account, {c});
  return r;
}

Result<AppendResult> SqliteMailStore::append(MailboxId mailbox, const BlobRef& blob, const Flags& flags,
                                             int64_t internaldate, const MessageMeta& meta) {
  return b_.write<AppendResult>([&](WriteContext& ctx) -> Result<AppendResult> {
    auto m = find_mailbox(ctx.db, account_, mailbox);
    if (!m) return no_mailbox();
    return append_in_tx(ctx, *b_.blobs, account_, *m, blob, flags, internaldate, meta);
  });
}

Result<std::vector<AppendResult>> SqliteMailStore::append_many(MailboxId mailbox,
                                                               const std::vector<AppendItem>& items) {
  using Results = std::vector<AppendResult>;
  // One write job: its SAVEPOINT makes the messages one unit; a failure rolls back the ones before it, and the
  // changes staged for them are dropped with it (writer.cpp publishes only kept jobs).
  return b_.write<Results>([&](WriteContext& ctx) -> Result<Results> {
    auto m = find_mailbox(ctx.db, account_, mailbox);
    if (!m) return no_mailbox();
    if (!uid_space_left(*m, items.size())) return store_error(Errc::invalid, "mailbox UID space exhausted");
    Results out;
    out.reserve(items.size());
    for (const AppendItem& item : items) {
      auto r = append_in_tx(ctx, *b_.blobs, account_, *m, item.blob, item.flags, item.internaldate, item.meta);
      if (!r) return r.error();
      out.push_back(std::move(*r));
    }
    return out;
  });
}

Result<SetFlagsResult> SqliteMailStore::set_flags(MailboxId mailbox, const UidSet& uids, FlagOp op,
                                                  const Flags& flags, std::optional<uint64_t> unchanged_since) {
  return b_.write<SetFlagsResult>([&](WriteContext& ctx) -> Result<SetFlagsResult> {
    auto m = find_mailbox(ctx.db, account_, mailbox);
    if (!m) return no_mailbox();
    SetFlagsResult out;
    std::vector<std::pair<int64_t, size_t>> to_write;  // (row id, index in out.updated)
    for (const Row& r : select_rows(ctx.db, mailbox, uids)) {
      if (unchanged_since && r.modseq > *unchanged_since) {
        out.failed.push_back(r.uid);
        continue;
      }
      FlagUpdate u;
      u.uid = r.uid;
      u.flags = apply_op(r.flags, op, flags);
      u.modseq = r.modseq;
      u.changed = !same_flags(u.flags, Flags{r.flags.system, normalize_keywords(r.flags.keywords)});
      if (u.changed) to_write.emplace_back(r.id, out.updated.size());
      out.updated.push_back(std::move(u));
    }
    if (to_write.empty()) return out;
    // One new MODSEQ for the whole STORE: all its changes are atomic (RFC 7162 §3.1 allows shared values).
    uint64_t modseq = bump_modseq(ctx.db, mailbox);
    for (const auto& [id, idx] : to_write) {
      FlagUpdate& u = out.updated[idx];
      u.modseq = modseq;
      ctx.db.run("UPDATE messages SET flags = ?, keywords = ?, modseq = ? WHERE id = ?",
                 static_cast<int64_t>(u.flags.system), encode_keywords(u.flags.keywords),
                 static_cast<int64_t>(modseq), id);
      Change c;
      c.kind = Change::Kind::flags_changed;
      c.mailbox = mailbox;
      c.mailbox_name = m->name;
      c.uids = {u.uid};
      c.flags = u.flags;
      c.modseq = modseq;
      out.changes.push_back(std::move(c));
    }
    ctx.emit(account_, out.changes);
    return out;
  },
  // Flags are not mail: like Dovecot, a flag change is not worth a device flush (writer.hpp, Durability).
  Durability::relaxed);
}

Result<ExpungeResult> SqliteMailStore::expunge(MailboxId mailbox, const UidSet& uids) {
  return b_.write<ExpungeResult>([&](WriteContext& ctx) -> Result<ExpungeResult> {
    auto m = find_mailbox(ctx.db, account_, mailbox);
    if (!m) return no_mailbox();
    ExpungeResult out;
    out.modseq = m->highestmodseq;
    std::vector<Row> rows = select_rows(ctx.db, mailbox, uids);
    if (rows.empty()) return out;
    out.modseq = expunge_rows(ctx.db, *m, rows);
    for (const Row& r : rows) out.uids.push_back(r.uid);
    out.changes.push_back(expunge_change(*m, out.uids, out.modseq));
    ctx.emit(account_, out.changes);
    return out;
  },
  // Like a flag change, not fsynced (Dovecot's mail_fsync=optimized does not either): a crash may bring the
  // message back, never lose one. A batch that releases a blob file commits strictly all the same (the file is
  // unlinked right after; Writer::run_batch, collect_released).
  Durability::relaxed);
}

Result<CopyResult> SqliteMailStore::copy(MailboxId from, const UidSet& uids, MailboxId to) {
  return copy_or_move(from, uids, to, false);
}

Result<CopyResult> SqliteMailStore::move(MailboxId from, const UidSet& uids, MailboxId to) {
  return copy_or_move(from, uids, to, true);
}

Result<CopyResult> SqliteMailStore::copy_or_move(MailboxId from, const UidSet& uids, MailboxId to, bool is_move) {
  return b_.write<CopyResult>([&](WriteContext& ctx) -> Result<CopyResult> {
    auto src = find_mailbox(ctx.db, account_, from);
    auto dst = find_mailbox(ctx.db, account_, to);
    if (!src || !dst) return no_mailbox();
    auto out = copy_in_tx(ctx, account_, *src, *dst, uids, is_move);
    if (out) ctx.emit(account_, out->changes);
    return out;
  });
}

Result<CopyResult> copy_in_tx(WriteContext& ctx, AccountId account, const MailboxInfo& src, const MailboxInfo& dst,
                              const UidSet& uids, bool is_move) {
  if (is_move && src.id == dst.id) return store_error(Errc::invalid, "cannot move messages into their own mailbox");
  if (dst.noselect) return store_error(Errc::invalid, "mailbox is not selectable");
  CopyResult out;
  out.dest_uidvalidity = dst.uidvalidity;
  std::vector<Row> rows = select_rows(ctx.db, src.id, uids);
  if (rows.empty()) return out;
  uint64_t total = 0;
  for (const Row& r : rows) total += r.size;
  // A move frees what it adds, so only a copy can exceed the quota.
  if (!is_move && !fits_quota(ctx.db, account, total)) return store_error(Errc::over_quota, "mailbox quota exceeded");
  if (!uid_space_left(dst, rows.size())) return store_error(Errc::invalid, "mailbox UID space exhausted");
  auto [first_uid, modseq] = reserve_uids(ctx.db, dst.id, static_cast<uint32_t>(rows.size()));
  uint32_t next = first_uid;
  for (const Row& r : rows) {
    uint32_t uid = next++;
    ctx.db.run(
        "INSERT INTO messages(mailbox_id, account_id, uid, modseq, blob_id, size, internaldate, flags, keywords, "
        "thread_id, envelope, body_structure, body, part_map, preview, subject, from_addr, from_name, "
        "to_addr, cc_addr, message_id, in_reply_to, refs, sent_date, has_attachments, savedate) "
        "SELECT ?, account_id, ?, ?, blob_id, size, internaldate, flags, keywords, thread_id, envelope, "
        "body_structure, body, part_map, preview, subject, from_addr, from_name, to_addr, cc_addr, "
        "message_id, in_reply_to, refs, sent_date, has_attachments, CAST(strftime('%s','now') AS INTEGER) FROM messages WHERE id = ?",
        dst.id, static_cast<int64_t>(uid), static_cast<int64_t>(modseq), r.id);
    ctx.db.run("INSERT INTO message_texts(id, search_text) SELECT ?, search_text FROM message_texts WHERE id = ?",
               ctx.db.last_insert_rowid(), r.id);
    out.uid_map.emplace_back(r.uid, uid);
    Change c;
    c.kind = Change::Kind::message_added;
    c.mailbox = dst.id;
    c.mailbox_name = dst.name;
    c.uids = {uid};
    c.flags = r.flags;
    c.modseq = modseq;
    out.changes.push_back(std::move(c));
  }
  if (is_move) {
    uint64_t src_modseq = expunge_rows(ctx.db, src, rows);
    std::vector<uint32_t> gone;
    for (const Row& r : rows) gone.push_back(r.uid);
    out.changes.push_back(expunge_change(src, std::move(gone), src_modseq));
  }
  return out;
}

Result<std::vector<MessageRecord>> SqliteMailStore::fetch_meta(MailboxId mailbox, const UidSet& uids, uint32_t parts) {
  return b_.read<std::vector<MessageRecord>>([&](Connection& db) -> Result<std::vector<MessageRecord>> {
    if (!find_mailbox(db, account_, mailbox)) return no_mailbox();
    std::vector<MessageRecord> out;
    auto q = select_by_uids(db, "SELECT " + message_columns(parts) + " FROM messages WHERE mailbox_id = ?1 AND", uids,
                            "ORDER BY uid");
    q.bind(1, mailbox);
    while (q.step())
      if (uids.contains(static_cast<uint32_t>(q.int64(0)))) out.push_back(message_from_row(q, true));
    return out;
  });
}

Result<std::vector<MessageRecord>> SqliteMailStore::fetch_records(MailboxId mailbox, const UidSet& uids) {
  return b_.read<std::vector<MessageRecord>>([&](Connection& db) -> Result<std::vector<MessageRecord>> {
    if (!find_mailbox(db, account_, mailbox)) return no_mailbox();
    std::vector<MessageRecord> out;
    auto q = select_by_uids(db, std::string("SELECT ") + kRecordColumns + " FROM messages WHERE mailbox_id = ?1 AND",
                            uids, "ORDER BY uid");
    q.bind(1, mailbox);
    while (q.step())
      if (uids.contains(static_cast<uint32_t>(q.int64(0)))) out.push_back(message_from_row(q, false));
    return out;
  });
}

Result<std::vector<MessageRecord>> SqliteMailStore::fetch_sort_fields(MailboxId mailbox, const UidSet& uids) {
  return b_.read<std::vector<MessageRecord>>([&](Connection& db) -> Result<std::vector<MessageRecord>> {
    if (!find_mailbox(db, account_, mailbox)) return no_mailbox();
    std::vector<MessageRecord> out;
    // No ENVELOPE, BODYSTRUCTURE, part map or search text: those are most of a row's bytes.
    auto q = select_by_uids(
        db,
        std::string("SELECT ") + kRecordColumns +
            ", subject, from_addr, from_name, to_addr, cc_addr, message_id, in_reply_to, refs, sent_date FROM messages "
            "WHERE mailbox_id = ?1 AND",
        uids, "ORDER BY uid");
    q.bind(1, mailbox);
    while (q.step()) {
      if (!uids.contains(static_cast<uint32_t>(q.int64(0)))) continue;
      MessageRecord m = message_from_row(q, false);
      MessageMeta& x = m.meta;
      x.subject = q.text(9);
      x.from_addr = q.text(10);
      x.from_name = q.text(11);
      x.to_addr = q.text(12);
      x.cc_addr = q.text(13);
      x.message_id = q.text(14);
      x.in_reply_to = q.text(15);
      x.references = q.text(16);
      x.sent_date = q.int64(17);
      out.push_back(std::move(m));
    }
    return out;
  });
}

Result<std::vector<FlagRecord>> SqliteMailStore::fetch_flags(MailboxId mailbox, const UidSet& uids,
                                                             uint64_t changed_since) {
  return b_.read<std::vector<FlagRecord>>([&](Connection& db) -> Result<std::vector<FlagRecord>> {
    auto cached = b_.flags->get(db, account_, mailbox, false);
    if (!cached.found) return no_mailbox();
    std::vector<FlagRecord> out;
    if (cached.listing) {  // a big mailbox: its shared listing (flag_cache.hpp)
      for_each_flag_record(*cached.listing, uids, changed_since, [&](const FlagRecord& r) { out.push_back(r); });
      return out;
    }
    // Only columns of the covering index messages_flags (mailbox_id, uid, modseq, flags, keywords), migration 7:
    // 100,000 messages are a few MB of index pages instead of hundreds of MB of rows.
    auto q = select_by_uids(db, flag_sql::kFetchFlagsHead, uids, flag_sql::kFetchFlagsTail);
    q.bind(1, mailbox);
    q.bind(2, static_cast<int64_t>(changed_since));
    while (q.step())
      if (uids.contains(static_cast<uint32_t>(q.int64(0)))) out.push_back(flag_record_from_row(q));
    return out;
  });
}

Result<std::shared_ptr<const FlagListing>> SqliteMailStore::flag_listing(MailboxId mailbox) {
  return b_.read<std::shared_ptr<const FlagListing>>(
      [&](Connection& db) -> Result<std::shared_ptr<const FlagListing>> {
        auto cached = b_.flags->get(db, account_, mailbox, true);
        if (!cached.found) return no_mailbox();
        return cached.listing;
      });
}

Result<std::vector<uint32_t>> SqliteMailStore::list_uids(MailboxId mailbox) {
  return b_.read<std::vector<uint32_t>>([&](Connection& db) -> Result<std::vector<uint32_t>> {
    auto cached = b_.flags->get(db, account_, mailbox, false);
    if (!cached.found) return no_mailbox();
    if (cached.listing) return cached.listing->uids;
    std::vector<uint32_t> out;
    auto q = db.query(flag_sql::kListUids, mailbox);
    while (q.step()) out.push_back(static_cast<uint32_t>(q.int64(0)));
    return out;
  });
}

Result<std::optional<uint32_t>> SqliteMailStore::first_unseen(MailboxId mailbox) {
  return b_.read<std::optional<uint32_t>>([&](Connection& db) -> Result<std::optional<uint32_t>> {
    auto cached = b_.flags->get(db, account_, mailbox, false);
    if (!cached.found) return no_mailbox();
    if (cached.listing) return cached.listing->first_unseen;
    // In UID order along messages_flags (mailbox_id, uid, modseq, flags, …), stopping at the first match and
    // never reading a message row; the maintained unseen count answers "none" without a scan.
    if (db.scalar(0, "SELECT unseen FROM mailboxes WHERE id = ?", mailbox) <= 0) return std::optional<uint32_t>();
    auto q = db.query(flag_sql::kFirstUnseen, mailbox,
                      static_cast<int64_t>(flag::kSeen));
    if (!q.step()) return std::optional<uint32_t>();
    return std::optional<uint32_t>(static_cast<uint32_t>(q.int64(0)));
  });
}

Result<ChangesSince> SqliteMailStore::changes_since(MailboxId mailbox, uint64_t modseq) {
  return b_.read<ChangesSince>([&](Connection& db) -> Result<ChangesSince> {
    auto m = find_mailbox(db, account_, mailbox);
    if (!m) return no_mailbox();
    ChangesSince out;
    out.highestmodseq = m->highestmodseq;
    {
      // A range of messages_by_modseq, which carries uid, flags and keywords (migration 7): no message row read.
      auto q = db.query(flag_sql::kChangesSince, mailbox, static_cast<int64_t>(modseq));
      while (q.step()) out.changed.push_back(flag_record_from_row(q));
    }
    auto q = db.query("SELECT uid FROM expunged WHERE mailbox_id = ? AND modseq > ? ORDER BY uid", mailbox,
                      static_cast<int64_t>(modseq));
    while (q.step()) out.expunged.push_back(static_cast<uint32_t>(q.int64(0)));
    return out;
  });
}

}  // namespace claret::store::sqlite
