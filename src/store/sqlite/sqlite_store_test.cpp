// SQLite backend tests: the conformance suite, plus persistence across reopen and schema versioning.
#include "store/sqlite/sqlite_store.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>

#include "store/errc.hpp"
#include "store/small_blob_reader.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/testing/store_conformance.hpp"
#include "store/testing/temp_dir.hpp"

namespace claret::store::sqlite {
namespace {

using testing::BackendFactory;
using testing::StoreConformance;

INSTANTIATE_TEST_SUITE_P(Sqlite, StoreConformance,
                         ::testing::Values(BackendFactory{
                             "sqlite", [](const std::string& dir) { return open_sqlite_store(dir + "/data"); }}),
                         testing::backend_name);

using claret::store::testing::TempDir;

int64_t user_version(const std::string& db_path) {
  sqlite3* db = nullptr;
  int64_t v = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return v;
}

TEST(SqliteStore, DataSurvivesReopenAndSchemaVersionIsSet) {
  TempDir dir;
  uint32_t uidvalidity = 0;
  std::string blob_id;
  {
    auto s = open_sqlite_store(dir.path());
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE((*s)->directory().add_domain("example.com").ok());
    auto a = (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
    ASSERT_TRUE(a.ok());
    auto blob = (*s)->blobs().put("persisted");
    ASSERT_TRUE(blob.ok());
    blob_id = blob->id;
    auto d = (*s)->deliver(*blob, {{a->id, "INBOX", {flag::kSeen, {"$Kept"}}}}, 42, {});
    ASSERT_TRUE(d.ok());
    ASSERT_TRUE((*d)[0].ok());
    uidvalidity = (*d)[0]->uidvalidity;
  }
  EXPECT_EQ(user_version(dir.path() + "/claret.db"), latest_schema_version());
  auto s = open_sqlite_store(dir.path());  // migrations are idempotent
  ASSERT_TRUE(s.ok());
  auto a = (*s)->directory().get_account("alice@example.com");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->usage, 9u);
  auto m = (*s)->mail(a->id);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  EXPECT_EQ(inbox->uidvalidity, uidvalidity);
  EXPECT_EQ(inbox->uidnext, 2u);
  auto rows = (*m)->fetch_meta(inbox->id, UidSet::all());
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].flags, (Flags{flag::kSeen, {"$Kept"}}));
  EXPECT_EQ((*rows)[0].internaldate, 42);
  EXPECT_EQ((*rows)[0].blob_id, blob_id);
  EXPECT_EQ(*(*s)->blobs().read(blob_id), "persisted");
  // UIDVALIDITY of a new mailbox stays unique after a restart.
  auto created = (*m)->create_mailbox("Later", "");
  ASSERT_TRUE(created.ok());
  EXPECT_GT(created->uidvalidity, uidvalidity);
}

int64_t count_rows(const std::string& db_path, const std::string& sql) {
  sqlite3* db = nullptr;
  int64_t n = -1;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
  }
  sqlite3_close(db);
  return n;
}

size_t blob_files(const std::string& data_dir) {
  size_t n = 0;
  for (auto& e : std::filesystem::recursive_directory_iterator(data_dir + "/blobs"))
    if (e.is_regular_file() && e.path().filename().string().size() == 64) ++n;
  return n;
}

// Small blobs go into blob_data with the delivering transaction (no file); large ones are files. Both read back
// whole and by range, and both disappear with their last message.
TEST(SqliteStore, SmallBlobsLiveInTheDatabaseLargeOnesInFiles) {
  TempDir dir;
  SqliteOptions options;
  options.inline_blob_max_bytes = 1024;
  auto s = open_sqlite_store(dir.path(), options);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE((*s)->directory().add_domain("example.com").ok());
  auto a = (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
  ASSERT_TRUE(a.ok());
  const std::string db = dir.path() + "/claret.db";

  std::string small(1024, 's');
  small[0] = '\0';  // binary-safe
  std::string large(1025, 'L');
  auto small_ref = (*s)->blobs().put(small);
  auto large_ref = (*s)->blobs().put(large);
  ASSERT_TRUE(small_ref.ok() && large_ref.ok());
  EXPECT_TRUE(small_ref->inline_data);
  EXPECT_FALSE(large_ref->inline_data);
  // Nothing is written for the small blob until a transaction references it.
  EXPECT_FALSE((*s)->blobs().stat(small_ref->id).ok());
  EXPECT_EQ(blob_files(dir.path()), 1u);

  for (auto* ref : {&*small_ref, &*small_ref, &*large_ref}) {
    auto d = (*s)->deliver(*ref, {{a->id, "INBOX", {}}}, 42, {});
    ASSERT_TRUE(d.ok() && (*d)[0].ok());
  }
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM blob_data"), 1);
  EXPECT_EQ(blob_files(dir.path()), 1u);
  EXPECT_EQ(*(*s)->blobs().stat(small_ref->id), 1024u);
  EXPECT_EQ(*(*s)->blobs().read(small_ref->id), small);
  EXPECT_EQ(*(*s)->blobs().read_range(small_ref->id, 1020, 100), "ssss");
  EXPECT_EQ(*(*s)->blobs().read(large_ref->id), large);
  auto reader = (*s)->blobs().open(small_ref->id);
  ASSERT_TRUE(reader.ok());
  EXPECT_EQ(reader->size(), 1024u);
  EXPECT_EQ(*reader->read_at(1, 2), "ss");

  auto m = (*s)->mail(a->id);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  ASSERT_TRUE((*m)->expunge(inbox->id, UidSet::all()).ok());
  // The writer drops unreferenced blobs after the commit; reopening waits for it.
  s->reset();
  s = open_sqlite_store(dir.path(), options);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM blob_data"), 0);
  EXPECT_EQ(blob_files(dir.path()), 0u);
  EXPECT_FALSE((*s)->blobs().read(small_ref->id).ok());
}

// read_small_blob: inline and file blobs are handed over whole when small enough, left to streaming otherwise.
TEST(SqliteStore, ReadSmallBlobVisitsInlineAndFileBlobs) {
  TempDir dir;
  SqliteOptions options;
  options.inline_blob_max_bytes = 1024;
  auto s = open_sqlite_store(dir.path(), options);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE((*s)->directory().add_domain("example.com").ok());
  auto a = (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
  ASSERT_TRUE(a.ok());
  std::string small(1000, 's');
  small[5] = '\0';  // binary-safe
  std::string large(3000, 'L');
  auto small_ref = (*s)->blobs().put(small);
  auto large_ref = (*s)->blobs().put(large);
  ASSERT_TRUE(small_ref.ok() && large_ref.ok());
  for (auto* ref : {&*small_ref, &*large_ref}) {
    auto d = (*s)->deliver(*ref, {{a->id, "INBOX", {}}}, 42, {});
    ASSERT_TRUE(d.ok() && (*d)[0].ok());
  }
  std::string seen;
  auto keep = [&seen](std::string_view bytes) { seen.assign(bytes); };
  auto r = read_small_blob((*s)->blobs(), small_ref->id, 4096, keep);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(*r);
  EXPECT_EQ(seen, small);
  r = read_small_blob((*s)->blobs(), large_ref->id, 4096, keep);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(*r);
  EXPECT_EQ(seen, large);
  seen.clear();
  r = read_small_blob((*s)->blobs(), small_ref->id, 999, keep);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = read_small_blob((*s)->blobs(), large_ref->id, 2999, keep);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_TRUE(seen.empty());
  r = read_small_blob((*s)->blobs(), std::string(64, 'a'), 4096, keep);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.error(), Errc::not_found));
}

// append_small_blob: inline blobs are copied into the caller's buffer after what `before` appends (incremental blob
// I/O), file blobs through the generic path; a blob over the limit leaves the buffer untouched.
TEST(SqliteStore, AppendSmallBlobCopiesInlineAndFileBlobsAfterAPrefix) {
  TempDir dir;
  SqliteOptions options;
  options.inline_blob_max_bytes = 64 * 1024;
  auto s = open_sqlite_store(dir.path(), options);
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_TRUE((*s)->directory().add_domain("example.com").ok());
  auto a = (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
  ASSERT_TRUE(a.ok());
  std::string small(50000, 's');  // spans overflow pages
  small[7] = '\0';
  small[40000] = 'x';
  std::string large(70000, 'L');
  auto small_ref = (*s)->blobs().put(small);
  auto large_ref = (*s)->blobs().put(large);
  ASSERT_TRUE(small_ref.ok() && large_ref.ok());
  for (auto* ref : {&*small_ref, &*large_ref}) {
    auto d = (*s)->deliver(*ref, {{a->id, "INBOX", {}}}, 42, {});
    ASSERT_TRUE(d.ok() && (*d)[0].ok());
  }
  auto before = [](std::string& out, uint64_t size) { out += "size=" + std::to_string(size) + ";"; };
  for (auto [bytes, id] : {std::pair{&small, small_ref->id}, std::pair{&large, large_ref->id}}) {
    std::string out = "head:";
    auto r = append_small_blob((*s)->blobs(), id, 100000, out, before);
    ASSERT_TRUE(r.ok()) << r.error().message;
    EXPECT_TRUE(*r);
    EXPECT_EQ(out, "head:size=" + std::to_string(bytes->size()) + ";" + *bytes);
  }
  std::string out = "head:";
  auto r = append_small_blob((*s)->blobs(), small_ref->id, 49999, out, before);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  r = append_small_blob((*s)->blobs(), large_ref->id, 69999, out, before);
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(*r);
  EXPECT_EQ(out, "head:");
  r = append_small_blob((*s)->blobs(), std::string(64, 'a'), 4096, out, before);
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(has_code(r.error(), Errc::not_found));
}

// New messages reach the FTS5 index in bulk (text_index.hpp), yet a text search sees them at once; expunging a
// message before or after it was indexed leaves the index consistent with the messages table.
TEST(SqliteStore, DeferredTextIndexStaysConsistentAndSearchSeesNewMail) {
  TempDir dir;
  const std::string db = dir.path() + "/claret.db";
  std::vector<uint32_t> expected;  // the zebras still in INBOX, over both rounds (the second after a reopen)
  for (int round = 0; round < 2; ++round) {
    auto s = open_sqlite_store(dir.path());
    ASSERT_TRUE(s.ok()) << s.error().message;
    if (round == 0) {
      ASSERT_TRUE((*s)->directory().add_domain("example.com").ok());
    }
    auto a = round == 0 ? (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0})
                        : (*s)->directory().get_account("alice@example.com");
    ASSERT_TRUE(a.ok());
    auto m = (*s)->mail(a->id);
    ASSERT_TRUE(m.ok());
    auto inbox = (*m)->get_mailbox("INBOX");
    ASSERT_TRUE(inbox.ok());
    // 60 messages; every third is expunged right away, while it is most likely still waiting for the indexer.
    for (int i = 0; i < 60; ++i) {
      auto blob = (*s)->blobs().put("message " + std::to_string(round) + "/" + std::to_string(i));
      ASSERT_TRUE(blob.ok());
      MessageMeta meta;
      meta.search_text = (i % 2 ? "zebra " : "giraffe ") + std::to_string(i);
      auto d = (*s)->deliver(*blob, {{a->id, "INBOX", {}}}, 42, meta);
      ASSERT_TRUE(d.ok() && (*d)[0].ok());
      uint32_t uid = (*d)[0]->uid;
      if (i % 3 == 0) {
        ASSERT_TRUE((*m)->expunge(inbox->id, UidSet::range(uid, uid)).ok());
      } else if (i % 2) {
        expected.push_back(uid);
      }
    }
    auto found = (*m)->search(inbox->id, SearchKey::full_text("zebra"));
    ASSERT_TRUE(found.ok()) << found.error().message;
    EXPECT_EQ(*found, expected);
    // Expunge everything searched so far too (now indexed): FTS5 'delete' path.
    if (round == 1) {
      ASSERT_TRUE((*m)->expunge(inbox->id, UidSet::all()).ok());
    }
  }
  // After the last expunge nothing waits, and the index matches the content table exactly.
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM fts_pending"), 0);
  EXPECT_EQ(count_rows(db, "SELECT count(*) FROM messages"), 0);
  sqlite3* raw = nullptr;
  ASSERT_EQ(sqlite3_open_v2(db.c_str(), &raw, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  char* err = nullptr;
  int rc = sqlite3_exec(raw, "INSERT INTO message_text(message_text) VALUES('integrity-check')", nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
  sqlite3_free(err);
  sqlite3_close(raw);
}

TEST(SqliteStore, RefusesNewerSchema) {
  TempDir dir;
  {
    auto s = open_sqlite_store(dir.path());
    ASSERT_TRUE(s.ok());
  }
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((dir.path() + "/claret.db").c_str(), &db), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(db, "PRAGMA user_version=999", nullptr, nullptr, nullptr), SQLITE_OK);
  sqlite3_close(db);
  auto s = open_sqlite_store(dir.path());
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, static_cast<int>(Errc::internal));
}

}  // namespace
}  // namespace claret::store::sqlite
