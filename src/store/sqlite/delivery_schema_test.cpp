// What a delivery costs in the schema: migration 8 (no index on messages.blob_id) upgrades a version-7 database in
// place, and the deferred full-text indexing reaches messages by rowid from the pending rows instead of walking the
// table (EXPLAIN QUERY PLAN, https://sqlite.org/eqp.html).
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite/migrations.hpp"
#include "store/sqlite/schema_v8_for_tests.hpp"
#include "store/sqlite/sqlite_store.hpp"
#include "store/sqlite/text_index.hpp"
#include "store/testing/temp_dir.hpp"

namespace claret::store::sqlite {
namespace {

using claret::store::testing::TempDir;

class RawDb {
 public:
  explicit RawDb(const std::string& path) { EXPECT_EQ(sqlite3_open(path.c_str(), &db_), SQLITE_OK); }
  ~RawDb() { sqlite3_close(db_); }
  void exec(const std::string& sql) {
    char* err = nullptr;
    EXPECT_EQ(sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &err), SQLITE_OK) << (err ? err : "") << " in " << sql;
    sqlite3_free(err);
  }
  std::vector<std::string> column(const std::string& sql, int col = 0) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(db_) << " in " << sql;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      auto* t = sqlite3_column_text(st, col);
      out.emplace_back(t ? reinterpret_cast<const char*>(t) : "");
    }
    sqlite3_finalize(st);
    return out;
  }
  std::vector<std::string> plan(const std::string& sql) { return column("EXPLAIN QUERY PLAN " + sql, 3); }

 private:
  sqlite3* db_ = nullptr;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

struct Filled {
  std::unique_ptr<Store> store;
  AccountId account = 0;
  std::string db_path;
};

// Two accounts, `n` messages each, with distinct search text; nothing indexed yet unless the writer went idle.
Filled fill(const std::string& dir, int n) {
  Filled f;
  auto s = open_sqlite_store(dir);
  EXPECT_TRUE(s.ok());
  f.store = std::move(*s);
  EXPECT_TRUE(f.store->directory().add_domain("example.com").ok());
  auto a = f.store->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
  auto b = f.store->directory().create_account(NewAccount{"bob@example.com", "h", "s", 0});
  EXPECT_TRUE(a.ok() && b.ok());
  f.account = a->id;
  for (int i = 1; i <= n; ++i) {
    for (AccountId to : {a->id, b->id}) {
      std::string body = "Subject: " + std::to_string(i) + "\r\n\r\nword" + std::to_string(i) + " for " +
                         std::to_string(to);
      auto blob = f.store->blobs().put(body);
      EXPECT_TRUE(blob.ok());
      MessageMeta meta;
      meta.search_text = body;
      auto d = f.store->deliver(*blob, {{to, "INBOX", {}}}, 1700000000 + i, meta);
      EXPECT_TRUE(d.ok() && (*d)[0].ok());
    }
  }
  f.db_path = dir + "/claret.db";
  return f;
}

// fill(), closed, then turned back to schema 8 (schema_v8_for_tests.hpp) and, with `older`, further back: the
// starting point of an upgrade test. Returns the database path.
std::string older_store(const std::string& dir, int n, const std::string& older = "") {
  std::string path;
  {
    Filled f = fill(dir, n);
    path = f.db_path;
  }
  RawDb db(path);
  db.exec(testing::kSchema9To8);
  if (!older.empty()) db.exec(older);
  return path;
}

// The plan reads `messages` and `message_texts` only by rowid lookups ("rowid=?"), after fts_pending: never a range or a scan of the
// table or of one of its indexes.
void expect_pending_rows_lead(RawDb& db, const std::string& sql) {
  auto plan = db.plan(sql);
  std::string text = joined(plan);
  size_t pending = std::string::npos, message = std::string::npos;
  for (size_t i = 0; i < plan.size(); ++i) {
    const std::string& line = plan[i];
    if ((line.rfind("SCAN p", 0) == 0 || line.rfind("SEARCH p ", 0) == 0) && pending == std::string::npos) pending = i;
    // m: the message row, t: its search text (message_texts, migration 9); both only by rowid.
    const bool row = line.find(" m ") != std::string::npos || line.find(" m USING") != std::string::npos ||
                     line.find(" t ") != std::string::npos || line.find(" t USING") != std::string::npos;
    if (row) {
      if (message == std::string::npos) message = i;
      EXPECT_NE(line.find("INTEGER PRIMARY KEY (rowid=?)"), std::string::npos) << sql << "\n" << text;
    }
  }
  ASSERT_NE(pending, std::string::npos) << sql << "\n" << text;
  ASSERT_NE(message, std::string::npos) << sql << "\n" << text;
  EXPECT_LT(pending, message) << sql << "\n" << text;
}

TEST(SqliteDeliverySchema, TextIndexingReachesMessagesByRowid) {
  TempDir dir;
  Filled f = fill(dir.path(), 30);
  RawDb db(f.db_path);
  namespace q = text_index_sql;
  expect_pending_rows_lead(db, q::kIndexChunk);
  expect_pending_rows_lead(db, q::kIndexMailbox);
  expect_pending_rows_lead(db, q::kDequeueMailbox);
  expect_pending_rows_lead(db, q::kMailboxHasPending);
}

// The statements index what they should: a chunk takes the oldest pending rows, the mailbox variant only its
// mailbox's, and a text search then finds words of both.
TEST(SqliteDeliverySchema, PendingTextIsIndexedAndSearchable) {
  TempDir dir;
  Filled f = fill(dir.path(), 20);
  auto m = f.store->mail(f.account);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  for (int i : {7, 20}) {  // text search matches substrings: no other word starts with these
    auto hits = (*m)->search(inbox->id, SearchKey::full_text("word" + std::to_string(i)));
    ASSERT_TRUE(hits.ok()) << hits.error().message;
    EXPECT_EQ(hits->size(), 1u) << i;
  }
  f.store.reset();  // the writer drains; indexing left pending is picked up by the next start
  RawDb db(f.db_path);
  EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// A database at schema 8 (search text inside the message row, FTS5 reading it there) is upgraded when the store
// opens it: the text moves to message_texts, the column goes, every message is indexed and searchable, nothing
// stays pending, and an expunge removes the text and its index entry (FTS5's own integrity check agrees).
TEST(SqliteDeliverySchema, UpgradeFromVersion8MovesTheSearchTextOutOfTheRow) {
  TempDir dir;
  const std::string path = older_store(dir.path(), 6);
  EXPECT_EQ(RawDb(path).column("SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'search_text'"),
            std::vector<std::string>{"1"});
  auto s = open_sqlite_store(dir.path());
  ASSERT_TRUE(s.ok()) << s.error().message;
  {
    RawDb db(path);
    EXPECT_EQ(db.column("PRAGMA user_version"), std::vector<std::string>{std::to_string(latest_schema_version())});
    EXPECT_EQ(db.column("SELECT count(*) FROM pragma_table_info('messages') WHERE name = 'search_text'"),
              std::vector<std::string>{"0"});
    EXPECT_EQ(db.column("SELECT count(*) FROM message_texts"), std::vector<std::string>{"12"});
    EXPECT_EQ(db.column("SELECT count(*) FROM fts_pending"), std::vector<std::string>{"0"});
  }
  auto a = (*s)->directory().get_account("alice@example.com");
  ASSERT_TRUE(a.ok());
  auto m = (*s)->mail(a->id);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  auto hits = (*m)->search(inbox->id, SearchKey::full_text("word4"));
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  EXPECT_EQ(hits->size(), 1u);
  auto gone = (*m)->expunge(inbox->id, UidSet::range(4, 4));
  ASSERT_TRUE(gone.ok());
  hits = (*m)->search(inbox->id, SearchKey::full_text("word4"));
  ASSERT_TRUE(hits.ok()) << hits.error().message;
  EXPECT_EQ(hits->size(), 0u);
  s->reset();
  RawDb db(path);
  EXPECT_EQ(db.column("SELECT count(*) FROM message_texts"), std::vector<std::string>{"11"});
  db.exec("INSERT INTO message_text(message_text) VALUES ('integrity-check')");  // fails the test when damaged
  EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

// A database at schema 7 (with messages_by_blob) is upgraded when the store opens it: the index goes, the messages
// and their blobs stay, and deliveries, expunges (reference counts by trigger) and the integrity check still agree.
TEST(SqliteDeliverySchema, UpgradeFromVersion7DropsTheBlobIndex) {
  TempDir dir;
  const std::string path =
      older_store(dir.path(), 5, "CREATE INDEX messages_by_blob ON messages(blob_id); PRAGMA user_version=7;");
  EXPECT_EQ(RawDb(path).column("SELECT name FROM sqlite_schema WHERE name = 'messages_by_blob'").size(), 1u);
  auto s = open_sqlite_store(dir.path());
  ASSERT_TRUE(s.ok()) << s.error().message;
  {
    RawDb db(path);
    EXPECT_EQ(db.column("PRAGMA user_version"), std::vector<std::string>{std::to_string(latest_schema_version())});
    EXPECT_EQ(db.column("SELECT name FROM sqlite_schema WHERE name = 'messages_by_blob'").size(), 0u);
    EXPECT_EQ(db.column("SELECT count(*) FROM messages"), std::vector<std::string>{"10"});
    EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  }
  auto a = (*s)->directory().get_account("alice@example.com");
  ASSERT_TRUE(a.ok());
  auto m = (*s)->mail(a->id);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  auto blob = (*s)->blobs().put("Subject: after\r\n\r\nupgraded");
  ASSERT_TRUE(blob.ok());
  auto d = (*s)->deliver(*blob, {{a->id, "INBOX", {}}}, 1700000100, {});
  ASSERT_TRUE(d.ok() && (*d)[0].ok());
  auto rows = (*m)->fetch_records(inbox->id, UidSet::all());
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 6u);
  for (const auto& r : *rows) EXPECT_TRUE((*s)->blobs().read(r.blob_id).ok()) << r.uid;
  auto gone = (*m)->expunge(inbox->id, UidSet::range(1, 6));
  ASSERT_TRUE(gone.ok());
  EXPECT_EQ(gone->uids.size(), 6u);
  RawDb db(path);
  // Alice's blobs went with her messages (their reference counts reached 0); Bob's five stay.
  EXPECT_EQ(db.column("SELECT count(*) FROM blobs"), std::vector<std::string>{"5"});
  EXPECT_EQ(db.column("SELECT count(*) FROM blobs WHERE refcount != 1"), std::vector<std::string>{"0"});
  EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace claret::store::sqlite
