// SqliteStore: wires writer, readers, blobs and change bus into a Store; group-committed delivery (DESIGN.md §3).
#include "store/sqlite/sqlite_store.hpp"

#include <errno.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "base/log.hpp"
#include "store/errc.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/text_index.hpp"
#include "store/sqlite/sqlite_directory.hpp"
#include "store/sqlite/sqlite_mail_store.hpp"

namespace claret::store::sqlite {
namespace {

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(std::unique_ptr<Backend> backend) : b_(std::move(backend)), directory_(*b_) {}

  Directory& directory() override { return directory_; }
  const Backend& backend() const { return *b_; }
  BlobStore& blobs() override { return *b_->blobs; }
  ChangeBus& changes() override { return b_->bus; }

  Result<std::unique_ptr<MailStore>> mail(AccountId account) override {
    auto a = directory_.get_account(account);
    if (!a) return a.error();
    return std::unique_ptr<MailStore>(new SqliteMailStore(*b_, account));
  }

  Result<std::vector<Result<Delivered>>> deliver(const BlobRef& blob, const std::vector<DeliveryTarget>& to,
                                                 int64_t internaldate, const MessageMeta& meta) override {
    if (!is_valid_blob_id(blob.id)) return store_error(Errc::invalid, "invalid blob id");
    using Out = std::vector<Result<Delivered>>;
    return b_->write<Out>([&](WriteContext& ctx) -> Result<Out> {
      Out out;
      for (const DeliveryTarget& t : to) {
        // Each recipient in its own savepoint: one full mailbox must not lose the message for the others.
        ctx.db.exec("SAVEPOINT rcpt");
        Result<Delivered> r = deliver_one(ctx, blob, t, internaldate, meta);
        ctx.db.exec(r.ok() ? "RELEASE rcpt" : "ROLLBACK TO rcpt");
        if (!r.ok()) ctx.db.exec("RELEASE rcpt");
        out.push_back(std::move(r));
      }
      return out;
    });
  }

  Result<uint64_t> sweep_unreferenced_blobs(int64_t min_age_seconds) override {
    // Listing happens here; checking and unlinking run as writer jobs, serialized with commits, in chunks so
    // deliveries are not held up behind one long job.
    std::vector<std::string> candidates = b_->files->list_stale(min_age_seconds);
    uint64_t removed = 0;
    constexpr size_t kChunk = 512;
    for (size_t i = 0; i < candidates.size(); i += kChunk) {
      auto n = b_->write<uint64_t>([&](WriteContext& ctx) -> Result<uint64_t> {
        uint64_t count = 0;
        for (size_t j = i; j < std::min(candidates.size(), i + kChunk); ++j) {
          if (ctx.db.scalar(0, "SELECT count(*) FROM blobs WHERE id = ?", candidates[j]) != 0) continue;
          if (b_->files->remove_if_stale(candidates[j], min_age_seconds)) ++count;
        }
        return count;
      });
      if (!n) return n.error();
      removed += *n;
    }
    if (removed > 0) log::info("store.blobs.swept", {{"removed", removed}});
    return removed;
  }

 private:
  Result<Delivered> deliver_one(WriteContext& ctx, const BlobRef& blob, const DeliveryTarget& t, int64_t internaldate,
                                const MessageMeta& meta) {
    std::string name = t.mailbox.empty() ? std::string("INBOX") : t.mailbox;
    auto m = find_mailbox(ctx.db, t.account, name);
    if (!m) return store_error(Errc::not_found, "no such mailbox: " + name);
    auto r = append_in_tx(ctx, *b_->blobs, t.account, *m, blob, t.flags, internaldate, meta);
    if (!r) return r.error();
    return Delivered{t.account, m->id, r->uidvalidity, r->uid};
  }

  std::unique_ptr<Backend> b_;
  SqliteDirectory directory_;
};

}  // namespace

Result<std::unique_ptr<Store>> open_sqlite_store(const std::string& data_dir, SqliteOptions options) {
  if (::mkdir(data_dir.c_str(), 0750) != 0 && errno != EEXIST)
    return store_error(Errc::internal, "mkdir " + data_dir + ": " + std::strerror(errno));
  auto backend = std::make_unique<Backend>();
  backend->data_dir = data_dir;
  auto blobs = FileBlobStore::create(data_dir + "/blobs");
  if (!blobs) return blobs.error();
  backend->files = std::move(*blobs);
  const std::string db_path = data_dir + "/claret.db";
  std::unique_ptr<Connection> writer_db;
  try {
    writer_db = Connection::open(db_path, true);
    migrate(*writer_db);
  } catch (const std::exception& e) {
    log::error("store.open.failed", {{"path", db_path}, {"error", e.what()}});
    return store_error(Errc::internal, std::string("cannot open store: ") + e.what());
  }
  backend->notifier = std::make_unique<ChangeNotifier>(backend->bus);
  backend->readers = std::make_unique<ReaderPool>(db_path, options.reader_connections, /*map_file=*/false, "metadata");
  backend->body_readers = std::make_unique<ReaderPool>(db_path, options.reader_connections, /*map_file=*/true, "bodies");
  backend->flags = std::make_unique<FlagCache>(options.flag_cache);
  backend->blobs =
      std::make_unique<SqliteBlobStore>(*backend->files, *backend->body_readers, options.inline_blob_max_bytes);
  Backend* raw = backend.get();
  CommitHooks hooks;
  hooks.published = [raw](std::vector<std::pair<AccountId, std::vector<Change>>> changes) {
    raw->notifier->enqueue(std::move(changes));
  };
  hooks.collect_released = [](Connection& db, bool& files_released) {
    // Runs at the end of every batch, where usually nothing was released: one probe of the partial index
    // blobs_released, then nothing more. The ids are read with a SELECT before the DELETE rather than with
    // DELETE … RETURNING, whose ephemeral table costs a pager allocated and freed per execution (see reserve_uids).
    std::vector<std::string> ids;
    {
      auto q = db.prepare("SELECT id FROM blobs WHERE refcount <= 0");
      while (q.step()) ids.push_back(q.text(0));
    }
    files_released = false;
    if (ids.empty()) return ids;
    {
      // Inline blobs go with their blob_data row (trigger blobs_ad), inside this transaction; only files outlive it.
      auto files = db.prepare(
          "SELECT 1 FROM blobs b WHERE refcount <= 0 AND NOT EXISTS (SELECT 1 FROM blob_data d WHERE d.id = b.id) "
          "LIMIT 1");
      files_released = files.step();
    }
    db.run("DELETE FROM blobs WHERE refcount <= 0");
    return ids;
  };
  hooks.blobs_released = [raw](const std::vector<std::string>& ids) {
    for (const auto& id : ids) {
      auto st = raw->blobs->remove(id);
      if (!st) log::warn("store.blob.remove_failed", {{"blob", id}, {"error", st.error().message}});
    }
  };
  // Bulk indexing in chunks: large enough to make FTS5 cheap per message, small enough (tens of ms) not to hold up
  // the deliveries queued behind it.
  hooks.background_work = [](Connection& db, bool idle) { return index_pending_text(db, 256, !idle); };
  // 1000 pages: SQLite's own default threshold, now crossed off the writer thread.
  backend->checkpointer = std::make_unique<Checkpointer>(db_path, 1000);
  try {
    backend->checkpointer->attach(*writer_db);
    // The writer revisits the same b-tree pages batch after batch (the tails of messages, its indexes and the FTS
    // segments): a larger page cache than SQLite's 2 MiB default saves re-reading them through pread.
    writer_db->exec("PRAGMA cache_size=-8192");
    // Every job runs in a SAVEPOINT (and each delivery target in a nested one), so the first change to an existing
    // page inside it copies the page into the statement journal. With the default temp_store that journal spills to a
    // temporary file past 64 KiB, which the hot pages of a delivery (index tails, the mailbox and account rows, the
    // blob and FTS-pending tables) reach: a pwrite per page per job, inside the transaction. In memory it is a memcpy.
    // The writer's own temporary b-trees (sorts, RETURNING) are small.
    writer_db->exec("PRAGMA temp_store=MEMORY");
  } catch (const std::exception& e) {
    return store_error(Errc::internal, std::string("cannot configure the store: ") + e.what());
  }
  // Through the writer's connection, open as long as the Backend (the probe is destroyed first), before the writer
  // thread starts using it.
  backend->wal_probe = std::make_unique<WalProbe>(writer_db->handle());
  backend->writer = std::make_unique<Writer>(std::move(writer_db), std::move(hooks));
  log::info("store.open", {{"path", db_path}, {"schema", latest_schema_version()}});
  return std::unique_ptr<Store>(new SqliteStore(std::move(backend)));
}

FlagCache::Stats flag_cache_stats(Store& store) {
  auto* s = dynamic_cast<SqliteStore*>(&store);
  return s ? s->backend().flags->stats() : FlagCache::Stats{};
}

}  // namespace claret::store::sqlite
