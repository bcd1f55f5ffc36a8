// Migration 7: the narrow reads (flag listing, SELECT's UID list and [UNSEEN n], CONDSTORE/QRESYNC changes, \Recent
// count) are answered from covering indexes (EXPLAIN QUERY PLAN, https://sqlite.org/eqp.html), and a version-6
// database upgraded in place keeps its messages and flags.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "store/sqlite/schema_v8_for_tests.hpp"
#include "store/sqlite/flag_queries.hpp"
#include "store/sqlite/message_rows.hpp"
#include "store/sqlite/migrations.hpp"
#include "store/sqlite/sqlite_store.hpp"
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
  // The first column of every row.
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
  // The detail lines of EXPLAIN QUERY PLAN (column 3).
  std::vector<std::string> plan(const std::string& sql) { return column("EXPLAIN QUERY PLAN " + sql, 3); }

 private:
  sqlite3* db_ = nullptr;
};

std::string joined(const std::vector<std::string>& lines) {
  std::string out;
  for (const auto& l : lines) out += l + "\n";
  return out;
}

// Every step that reads `messages` does it through a covering index (no row lookups), and the ORDER BY uid needs
// no sort when `sorted` (the index is in uid order).
void expect_covered(RawDb& db, const std::string& sql, bool sorted) {
  auto plan = db.plan(sql);
  ASSERT_FALSE(plan.empty()) << sql;
  bool reads_messages = false;
  for (const auto& line : plan) {
    if (line.find("messages") == std::string::npos) continue;
    reads_messages = true;
    EXPECT_NE(line.find("USING COVERING INDEX"), std::string::npos) << sql << "\n" << joined(plan);
  }
  EXPECT_TRUE(reads_messages) << joined(plan);
  if (sorted) EXPECT_EQ(joined(plan).find("TEMP B-TREE"), std::string::npos) << sql << "\n" << joined(plan);
}

// One account with `n` messages in INBOX (every third \Seen, every fifth with a keyword); returns the db path.
std::string fill(const std::string& dir, uint32_t n) {
  auto s = open_sqlite_store(dir);
  EXPECT_TRUE(s.ok());
  EXPECT_TRUE((*s)->directory().add_domain("example.com").ok());
  auto a = (*s)->directory().create_account(NewAccount{"alice@example.com", "h", "s", 0});
  EXPECT_TRUE(a.ok());
  for (uint32_t i = 1; i <= n; ++i) {
    auto blob = (*s)->blobs().put("message " + std::to_string(i));
    EXPECT_TRUE(blob.ok());
    Flags f{i % 3 == 0 ? flag::kSeen : 0u, {}};
    if (i % 5 == 0) f.keywords = {"$Label" + std::to_string(i % 2)};
    auto d = (*s)->deliver(*blob, {{a->id, "INBOX", f}}, 1700000000 + i, {});
    EXPECT_TRUE(d.ok() && (*d)[0].ok());
  }
  return dir + "/claret.db";
}

TEST(SqliteFlagIndex, NarrowReadsUseCoveringIndexes) {
  TempDir dir;
  const std::string path = fill(dir.path(), 40);
  RawDb db(path);
  namespace q = flag_sql;
  const std::string head = q::kFetchFlagsHead;
  const std::string tail = q::kFetchFlagsTail;
  // FETCH 1:* (UID FLAGS), FETCH 5:9 … (CHANGEDSINCE m): one range, as select_by_uids binds it.
  expect_covered(db, head + " uid BETWEEN ?98 AND ?99 " + tail, true);
  // A set of a few ranges, and one of more than 32 (the hull), as select_by_uids writes them.
  expect_covered(db, head + " " + uid_hull_clause(UidSet::of({1, 2, 3, 7, 9, 10})) + " " + tail, true);
  std::vector<uint32_t> many;
  for (uint32_t u = 1; u < 200; u += 2) many.push_back(u);
  expect_covered(db, head + " " + uid_hull_clause(UidSet::of(many)) + " " + tail, true);
  expect_covered(db, q::kListUids, true);      // SELECT's seq -> UID map
  expect_covered(db, q::kFirstUnseen, true);   // SELECT's [UNSEEN n]
  expect_covered(db, q::kCountFromUid, false); // STATUS RECENT / \Recent claims
  expect_covered(db, q::kChangesSince, false); // QRESYNC SELECT, VANISHED; few rows, sorted by uid after
  expect_covered(db, q::kListFlags, true);     // FlagCache: a whole listing
  // The listing is served by messages_flags, not the UNIQUE(mailbox_id, uid) index or the table.
  EXPECT_NE(joined(db.plan(head + " uid BETWEEN ?98 AND ?99 " + tail)).find("messages_flags"), std::string::npos);
}

// A database at schema 6 (migration 7's indexes absent, the old two-column messages_by_modseq) is upgraded when the
// store opens it: same messages and flags, the new indexes present, and the flag listing agrees with the rows.
TEST(SqliteFlagIndex, UpgradeFromVersion6KeepsMessagesAndFlags) {
  TempDir dir;
  const std::string path = fill(dir.path(), 30);
  {
    RawDb db(path);
    db.exec(testing::kSchema9To8);
    db.exec("DROP INDEX messages_flags; DROP INDEX messages_by_modseq;"
            "CREATE INDEX messages_by_modseq ON messages(mailbox_id, modseq); PRAGMA user_version=6;");
    EXPECT_EQ(db.column("PRAGMA user_version"), std::vector<std::string>{"6"});
  }
  auto s = open_sqlite_store(dir.path());
  ASSERT_TRUE(s.ok()) << s.error().message;
  {
    RawDb db(path);
    EXPECT_EQ(db.column("PRAGMA user_version"), std::vector<std::string>{std::to_string(latest_schema_version())});
    EXPECT_EQ(db.column("SELECT name FROM pragma_index_info('messages_flags') ORDER BY seqno"),
              (std::vector<std::string>{"mailbox_id", "uid", "modseq", "flags", "keywords"}));
    EXPECT_EQ(db.column("SELECT name FROM pragma_index_info('messages_by_modseq') ORDER BY seqno"),
              (std::vector<std::string>{"mailbox_id", "modseq", "uid", "flags", "keywords"}));
    EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
  }
  auto a = (*s)->directory().get_account("alice@example.com");
  ASSERT_TRUE(a.ok());
  auto m = (*s)->mail(a->id);
  ASSERT_TRUE(m.ok());
  auto inbox = (*m)->get_mailbox("INBOX");
  ASSERT_TRUE(inbox.ok());
  auto rows = (*m)->fetch_records(inbox->id, UidSet::all());
  auto flags = (*m)->fetch_flags(inbox->id, UidSet::all(), 0);
  ASSERT_TRUE(rows.ok());
  ASSERT_TRUE(flags.ok());
  ASSERT_EQ(rows->size(), 30u);
  ASSERT_EQ(flags->size(), 30u);
  for (size_t i = 0; i < rows->size(); ++i) {
    EXPECT_EQ((*flags)[i].uid, i + 1);
    EXPECT_EQ((*flags)[i].modseq, (*rows)[i].modseq);
    EXPECT_EQ((*flags)[i].flags, (*rows)[i].flags);
    EXPECT_EQ((*rows)[i].flags.system, (i + 1) % 3 == 0 ? flag::kSeen : 0u);
  }
  EXPECT_EQ((*flags)[4].flags.keywords, std::vector<std::string>{"$Label1"});
  EXPECT_EQ(*(*m)->first_unseen(inbox->id), std::optional<uint32_t>(1));
  // Flag changes after the upgrade keep both new indexes right.
  auto set = (*m)->set_flags(inbox->id, UidSet::range(1, 2), FlagOp::add, Flags{flag::kSeen, {}}, std::nullopt);
  ASSERT_TRUE(set.ok());
  EXPECT_EQ(*(*m)->first_unseen(inbox->id), std::optional<uint32_t>(4));
  auto since = (*m)->changes_since(inbox->id, set->updated[0].modseq - 1);
  ASSERT_TRUE(since.ok());
  ASSERT_EQ(since->changed.size(), 2u);
  EXPECT_EQ(since->changed[1].uid, 2u);
  EXPECT_EQ(since->changed[1].flags.system, flag::kSeen);
  RawDb db(path);
  EXPECT_EQ(db.column("PRAGMA integrity_check"), std::vector<std::string>{"ok"});
}

}  // namespace
}  // namespace claret::store::sqlite
