// SqliteQueueStore: the outbound queue in SQLite — durable enqueue, leased claims, per-recipient results
// (RFC 5321 §4.5.4.1: retry until the lifetime runs out; the schedule itself is the caller's RetryPolicy).
#include "store/sqlite/sqlite_queue_store.hpp"

#include <errno.h>
#include <sys/stat.h>

#include <cstring>

#include "base/log.hpp"
#include "store/errc.hpp"
#include "store/file_blob_store.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/sqlite/sqlite_blob_store.hpp"
#include "store/sqlite/writer.hpp"

namespace claret::store::sqlite {
namespace {

using queue::NewEntry;
using queue::QueueEntry;
using queue::QueuedRecipient;
using queue::RecipientState;
using queue::RecipientUpdate;

constexpr const char* kEntryColumns =
    "SELECT id, blob_id, size, sender, ret, envid, eight_bit, smtputf8, arrival, next_attempt, attempts, hold, "
    "delay_warned, lease_until FROM queue_entries ";

QueueEntry entry_from_row(const Statement& s) {
  QueueEntry e;
  e.id = s.int64(0);
  e.blob.id = s.text(1);
  e.blob.size = static_cast<uint64_t>(s.int64(2));
  e.sender = s.text(3);
  e.ret = s.text(4);
  e.envid = s.text(5);
  e.eight_bit = s.int64(6) != 0;
  e.smtputf8 = s.int64(7) != 0;
  e.arrival = s.int64(8);
  e.next_attempt = s.int64(9);
  e.attempts = static_cast<int>(s.int64(10));
  e.hold = s.int64(11) != 0;
  e.delay_warned = s.int64(12) != 0;
  e.lease_until = s.int64(13);
  return e;
}

void load_recipients(Connection& db, QueueEntry& e) {
  auto q = db.query(
      "SELECT id, address, notify, orcpt, state, attempts, last_reply FROM queue_recipients WHERE entry_id = ? "
      "ORDER BY id",
      e.id);
  while (q.step()) {
    QueuedRecipient r;
    r.id = q.int64(0);
    r.address = q.text(1);
    r.notify = static_cast<int>(q.int64(2));
    r.orcpt = q.text(3);
    int64_t state = q.int64(4);
    r.state = state == 1 ? RecipientState::delivered : state == 2 ? RecipientState::failed : RecipientState::pending;
    r.attempts = static_cast<int>(q.int64(5));
    r.last_reply = q.text(6);
    e.recipients.push_back(std::move(r));
  }
}

std::vector<QueueEntry> load_entries(Connection& db, Statement q) {
  std::vector<QueueEntry> out;
  while (q.step()) out.push_back(entry_from_row(q));
  for (QueueEntry& e : out) load_recipients(db, e);
  return out;
}

Error no_entry(int64_t id) { return store_error(Errc::not_found, "no queue entry " + std::to_string(id)); }

class SqliteQueueStore final : public queue::QueueStore {
 public:
  SqliteQueueStore(std::unique_ptr<FileBlobStore> blobs, std::unique_ptr<ReaderPool> readers,
                   std::unique_ptr<Writer> writer)
      : blobs_(std::move(blobs)), readers_(std::move(readers)), writer_(std::move(writer)) {}

  Result<int64_t> enqueue(const NewEntry& entry) override {
    if (!is_valid_blob_id(entry.blob.id)) return store_error(Errc::invalid, "invalid blob id");
    if (entry.recipients.empty()) return store_error(Errc::invalid, "no recipients");
    return write<int64_t>([&](WriteContext& ctx) -> Result<int64_t> {
      // Stored (small blobs) or checked inside the transaction: only the store's writer unlinks blobs, and only
      // for rows at refcount 0, which our insert is about to raise.
      Status stored = store_blob_in_tx(ctx.db, *blobs_, entry.blob);
      if (!stored) return stored.error();
      ctx.db.run(
          "INSERT INTO queue_entries(blob_id, size, sender, ret, envid, eight_bit, smtputf8, arrival, next_attempt) "
          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
          entry.blob.id, static_cast<int64_t>(entry.blob.size), entry.sender, entry.ret, entry.envid,
          int64_t{entry.eight_bit}, int64_t{entry.smtputf8}, entry.arrival, entry.next_attempt);
      int64_t id = ctx.db.last_insert_rowid();
      for (const auto& r : entry.recipients)
        ctx.db.run("INSERT INTO queue_recipients(entry_id, address, notify, orcpt) VALUES (?, ?, ?, ?)", id,
                   r.address, int64_t{r.notify}, r.orcpt);
      return id;
    });
  }

  Result<std::vector<QueueEntry>> claim_due(int64_t now, size_t limit, int64_t lease_seconds) override {
    using Out = std::vector<QueueEntry>;
    return write<Out>([&](WriteContext& ctx) -> Result<Out> {
      Out out = load_entries(ctx.db, ctx.db.query(std::string(kEntryColumns) +
                                                      "WHERE hold = 0 AND next_attempt <= ? AND lease_until <= ? "
                                                      "ORDER BY next_attempt, id LIMIT ?",
                                                  now, now, static_cast<int64_t>(limit)));
      for (QueueEntry& e : out) {
        e.lease_until = now + lease_seconds;
        ctx.db.run("UPDATE queue_entries SET lease_until = ? WHERE id = ?", e.lease_until, e.id);
      }
      return out;
    });
  }

  Result<bool> finish(int64_t entry_id, const std::vector<RecipientUpdate>& updates, int64_t next_attempt) override {
    return write<bool>([&](WriteContext& ctx) -> Result<bool> {
      if (ctx.db.scalar(0, "SELECT count(*) FROM queue_entries WHERE id = ?", entry_id) == 0)
        return no_entry(entry_id);
      for (const RecipientUpdate& u : updates)
        ctx.db.run(
            "UPDATE queue_recipients SET state = ?, attempts = attempts + 1, last_reply = ? "
            "WHERE id = ? AND entry_id = ? AND state = 0",
            static_cast<int64_t>(u.state), u.reply, u.recipient_id, entry_id);
      if (ctx.db.scalar(0, "SELECT count(*) FROM queue_recipients WHERE entry_id = ? AND state = 0", entry_id) == 0) {
        ctx.db.run("DELETE FROM queue_entries WHERE id = ?", entry_id);
        return false;
      }
      ctx.db.run("UPDATE queue_entries SET next_attempt = ?, attempts = attempts + 1, lease_until = 0 WHERE id = ?",
                 next_attempt, entry_id);
      return true;
    });
  }

  Status mark_delay_warned(int64_t entry_id) override {
    return update_one("UPDATE queue_entries SET delay_warned = 1 WHERE id = ?", entry_id);
  }

  Result<QueueEntry> get(int64_t entry_id) override {
    return readers_->read<QueueEntry>([&](Connection& db) -> Result<QueueEntry> {
      auto all = load_entries(db, db.query(std::string(kEntryColumns) + "WHERE id = ?", entry_id));
      if (all.empty()) return no_entry(entry_id);
      return std::move(all.front());
    });
  }

  Result<std::vector<QueueEntry>> list() override {
    using Out = std::vector<QueueEntry>;
    return readers_->read<Out>([&](Connection& db) -> Result<Out> {
      return load_entries(db, db.query(std::string(kEntryColumns) + "ORDER BY arrival, id"));
    });
  }

  Status set_hold(int64_t entry_id, bool hold) override {
    return update_one("UPDATE queue_entries SET hold = ? WHERE id = ?", int64_t{hold}, entry_id);
  }

  Status retry_now(int64_t entry_id, int64_t now) override {
    return update_one("UPDATE queue_entries SET next_attempt = ?, lease_until = 0 WHERE id = ?", now, entry_id);
  }

  Status retry_all(int64_t now) override {
    auto r = write<bool>([&](WriteContext& ctx) -> Result<bool> {
      ctx.db.run("UPDATE queue_entries SET next_attempt = ?, lease_until = 0 WHERE hold = 0", now);
      return true;
    });
    if (!r) return r.error();
    return {};
  }

  Status remove(int64_t entry_id) override { return update_one("DELETE FROM queue_entries WHERE id = ?", entry_id); }

  Status release_leases() override {
    auto r = write<bool>([&](WriteContext& ctx) -> Result<bool> {
      ctx.db.run("UPDATE queue_entries SET lease_until = 0 WHERE lease_until != 0");
      return true;
    });
    if (!r) return r.error();
    return {};
  }

  Result<std::optional<int64_t>> next_due() override {
    using Out = std::optional<int64_t>;
    return readers_->read<Out>([&](Connection& db) -> Result<Out> {
      auto q = db.query("SELECT min(max(next_attempt, lease_until)) FROM queue_entries WHERE hold = 0");
      if (!q.step() || q.is_null(0)) return Out{};
      return Out{q.int64(0)};
    });
  }

 private:
  template <typename T>
  Result<T> write(std::function<Result<T>(WriteContext&)> fn) {
    return writer_->run<T>(std::move(fn));
  }

  template <typename... Args>
  Status update_one(const char* sql, Args... args) {
    int64_t id = 0;
    ((id = args), ...);  // the entry id is always the last argument
    auto r = write<bool>([&](WriteContext& ctx) -> Result<bool> {
      ctx.db.run(sql, args...);
      if (ctx.db.changes() == 0) return no_entry(id);
      return true;
    });
    if (!r) return r.error();
    return {};
  }

  std::unique_ptr<FileBlobStore> blobs_;
  std::unique_ptr<ReaderPool> readers_;
  std::unique_ptr<Writer> writer_;
};

}  // namespace

Result<std::unique_ptr<queue::QueueStore>> open_sqlite_queue_store(const std::string& data_dir) {
  if (::mkdir(data_dir.c_str(), 0750) != 0 && errno != EEXIST)
    return store_error(Errc::internal, "mkdir " + data_dir + ": " + std::strerror(errno));
  auto blobs = FileBlobStore::create(data_dir + "/blobs");
  if (!blobs) return blobs.error();
  const std::string db_path = data_dir + "/claret.db";
  std::unique_ptr<Connection> db;
  try {
    db = Connection::open(db_path, true);
    migrate(*db);
  } catch (const std::exception& e) {
    log::error("queue.open.failed", {{"path", db_path}, {"error", e.what()}});
    return store_error(Errc::internal, std::string("cannot open queue: ") + e.what());
  }
  // No commit hooks: blob rows whose count drops to 0 here are deleted (and their files unlinked) by the mail
  // store's writer, keeping "only one writer unlinks" true for the process that owns the store.
  auto writer = std::make_unique<Writer>(std::move(db), CommitHooks{});
  auto readers = std::make_unique<ReaderPool>(db_path, 2, true, "queue");
  return std::unique_ptr<queue::QueueStore>(
      new SqliteQueueStore(std::move(*blobs), std::move(readers), std::move(writer)));
}

}  // namespace claret::store::sqlite
