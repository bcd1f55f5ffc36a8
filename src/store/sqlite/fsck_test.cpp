// fsck: a store damaged in each way it can be is reported, one problem per damage; --repair fixes what it may
// and never removes a message row.
#include "store/sqlite/fsck.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <utime.h>

#include <filesystem>
#include <fstream>

#include "store/sqlite/sqlite_store.hpp"

namespace claret::store::sqlite {
namespace {

class FsckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = (std::filesystem::temp_directory_path() / "claret-fsck-XXXXXX").string();
    dir_ = ::mkdtemp(tmpl.data());
    // Blobs above 64 bytes become files, so both kinds of storage are covered.
    auto s = open_sqlite_store(dir_, SqliteOptions{2, 64});
    ASSERT_TRUE(s.ok()) << s.error().message;
    ASSERT_TRUE((*s)->directory().add_domain("example.org").ok());
    auto a = (*s)->directory().create_account(NewAccount{"alice@example.org", "h", "s", 0});
    ASSERT_TRUE(a.ok());
    small_ = deliver(**s, a->id, "Subject: small\r\n\r\nhi\r\n");
    large_ = deliver(**s, a->id, "Subject: large\r\n\r\n" + std::string(500, 'x') + "\r\n");
    deliver(**s, a->id, "Subject: third\r\n\r\nthree\r\n");
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string deliver(Store& s, AccountId account, const std::string& bytes) {
    auto blob = s.blobs().put(bytes);
    EXPECT_TRUE(blob.ok());
    auto d = s.deliver(*blob, {{account, "INBOX", {}}}, 42, {});
    EXPECT_TRUE(d.ok() && (*d)[0].ok());
    return blob->id;
  }

  void sql(const std::string& statement) {
    sqlite3* db = nullptr;
    ASSERT_EQ(sqlite3_open((dir_ + "/claret.db").c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(db, statement.c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "") << " in " << statement;
    sqlite3_free(err);
    sqlite3_close(db);
  }
  int64_t scalar(const std::string& query) {
    sqlite3* db = nullptr;
    sqlite3_open((dir_ + "/claret.db").c_str(), &db);
    sqlite3_stmt* st = nullptr;
    int64_t v = -1;
    if (sqlite3_prepare_v2(db, query.c_str(), -1, &st, nullptr) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
      v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
  }
  std::string file_of(const std::string& id) {
    return dir_ + "/blobs/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
  }
  void write_file(const std::string& path, const std::string& bytes) {
    std::filesystem::create_directories(std::filesystem::path(path).parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  }

  FsckReport fsck(bool repair, int64_t grace = 0) {
    FsckOptions options;
    options.repair = repair;
    options.orphan_grace_seconds = grace;
    auto r = fsck_sqlite_store(dir_, options);
    EXPECT_TRUE(r.ok()) << r.error().message;
    return r.ok() ? *r : FsckReport{};
  }
  static std::vector<std::string> kinds(const FsckReport& r) {
    std::vector<std::string> out;
    for (const auto& p : r.problems) out.push_back(p.kind);
    return out;
  }
  static std::string lines(const FsckReport& r) {
    std::string out;
    for (const auto& p : r.problems) out += p.line() + "\n";
    return out;
  }
  // Repairs, expects every problem repaired and a clean store afterwards.
  void expect_repaired() {
    FsckReport r = fsck(true);
    EXPECT_FALSE(r.clean());
    EXPECT_EQ(r.repaired_count(), r.problems.size()) << lines(r);
    FsckReport again = fsck(false);
    EXPECT_TRUE(again.clean()) << lines(again);
    EXPECT_EQ(scalar("SELECT count(*) FROM messages"), 3);
  }

  std::string dir_, small_, large_;
};

TEST_F(FsckTest, FreshStoreIsClean) {
  FsckReport r = fsck(false);
  EXPECT_TRUE(r.clean()) << lines(r);
  EXPECT_EQ(r.messages, 3u);
  EXPECT_EQ(r.blobs, 3u);
  EXPECT_TRUE(std::filesystem::exists(file_of(large_)));
  EXPECT_TRUE(fsck(true).clean());
}

TEST_F(FsckTest, MissingInlineBlobIsReportedAndTheRowKept) {
  sql("DELETE FROM blob_data WHERE id = '" + small_ + "'");
  for (bool repair : {false, true}) {
    FsckReport r = fsck(repair);
    ASSERT_EQ(kinds(r), std::vector<std::string>{"missing-blob"}) << lines(r);
    EXPECT_EQ(r.problems[0].subject, "alice@example.org/INBOX uid 1");
    EXPECT_FALSE(r.problems[0].repaired);
  }
  EXPECT_EQ(scalar("SELECT count(*) FROM messages"), 3);
}

TEST_F(FsckTest, MissingFileBlobIsReported) {
  std::filesystem::remove(file_of(large_));
  FsckReport r = fsck(true);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"missing-blob"}) << lines(r);
  EXPECT_EQ(r.problems[0].subject, "alice@example.org/INBOX uid 2");
  EXPECT_EQ(scalar("SELECT count(*) FROM messages"), 3);
}

TEST_F(FsckTest, DamagedBlobsAreReported) {
  write_file(file_of(large_), std::string(520, 'y'));  // wrong content, right size
  sql("UPDATE blob_data SET data = CAST('Subject: small\r\n\r\nho\r\n' AS BLOB) WHERE id = '" + small_ + "'");
  FsckReport r = fsck(true);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"corrupt-blob", "corrupt-blob"})) << lines(r);
  write_file(file_of(large_), "short");
  r = fsck(false);
  EXPECT_NE(lines(r).find("file has 5 bytes, expected 520"), std::string::npos) << lines(r);
}

TEST_F(FsckTest, UidnextAndModseqAreRaised) {
  sql("UPDATE mailboxes SET uidnext = 2, highestmodseq = 1 WHERE name = 'INBOX'");
  sql("UPDATE messages SET modseq = 40 WHERE uid = 3");
  FsckReport r = fsck(false);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"uidnext", "modseq"})) << lines(r);
  expect_repaired();
  EXPECT_EQ(scalar("SELECT uidnext FROM mailboxes WHERE name = 'INBOX'"), 4);
  EXPECT_EQ(scalar("SELECT highestmodseq FROM mailboxes WHERE name = 'INBOX'"), 40);
}

TEST_F(FsckTest, ExpungedUidsCountForUidnext) {
  sql("INSERT INTO expunged(mailbox_id, uid, modseq) SELECT id, 9, 50 FROM mailboxes WHERE name = 'INBOX'");
  EXPECT_EQ(kinds(fsck(false)), (std::vector<std::string>{"uidnext", "modseq"}));
  expect_repaired();
  EXPECT_EQ(scalar("SELECT uidnext FROM mailboxes WHERE name = 'INBOX'"), 10);
}

TEST_F(FsckTest, CountersAndUsageAreRecomputed) {
  sql("UPDATE mailboxes SET total = 7, unseen = 0 WHERE name = 'INBOX'");
  sql("UPDATE mailboxes SET total_size = 5 WHERE name = 'Trash'");
  sql("UPDATE accounts SET usage = 1");
  FsckReport r = fsck(false);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"counters", "counters", "usage"})) << lines(r);
  EXPECT_NE(lines(r).find("counters alice@example.org/INBOX: messages/size/unseen stored as 7/"), std::string::npos);
  expect_repaired();
  EXPECT_EQ(scalar("SELECT total FROM mailboxes WHERE name = 'INBOX'"), 3);
  EXPECT_EQ(scalar("SELECT unseen FROM mailboxes WHERE name = 'INBOX'"), 3);
}

TEST_F(FsckTest, ReferenceCountsAreFixed) {
  sql("UPDATE blobs SET refcount = 5 WHERE id = '" + small_ + "'");
  sql("DELETE FROM blobs WHERE id = '" + large_ + "'");  // a file blob: its bytes stay
  FsckReport r = fsck(false);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"blob-row", "refcount"})) << lines(r);
  expect_repaired();
  EXPECT_EQ(scalar("SELECT refcount FROM blobs WHERE id = '" + small_ + "'"), 1);
  EXPECT_EQ(scalar("SELECT refcount FROM blobs WHERE id = '" + large_ + "'"), 1);
  EXPECT_TRUE(std::filesystem::exists(file_of(large_)));
}

TEST_F(FsckTest, OrphansAreRemoved) {
  const std::string a(64, 'a'), b(64, 'b'), c(64, 'c');
  sql("INSERT INTO blob_data(id, data) VALUES ('" + a + "', x'00')");
  sql("INSERT INTO blobs(id, size, refcount) VALUES ('" + b + "', 3, 2)");
  write_file(file_of(c), "orphan");
  write_file(dir_ + "/blobs/zz/README", "not a blob");
  FsckReport r = fsck(false);
  EXPECT_EQ(kinds(r), (std::vector<std::string>{"orphan-blob", "orphan-blob-data", "orphan-blob-file", "stray-file"}))
      << lines(r);
  r = fsck(true);
  EXPECT_EQ(r.repaired_count(), 3u) << lines(r);
  EXPECT_FALSE(std::filesystem::exists(file_of(c)));
  EXPECT_TRUE(std::filesystem::exists(file_of(large_)));
  EXPECT_EQ(kinds(fsck(false)), std::vector<std::string>{"stray-file"});
}

TEST_F(FsckTest, ReleasedBlobsAwaitingCollectionAreNotProblems) {
  // A finished queue entry drops its blob's count to 0; the mail store's writer deletes the row at its next commit.
  const std::string released(64, 'e');
  sql("INSERT INTO blobs(id, size, refcount) VALUES ('" + released + "', 3, 0)");
  sql("INSERT INTO blob_data(id, data) VALUES ('" + released + "', x'616263')");
  FsckReport r = fsck(false);
  EXPECT_TRUE(r.clean()) << lines(r);
  EXPECT_EQ(r.released_blobs, 1u);
  EXPECT_TRUE(fsck(true).clean());
  EXPECT_EQ(scalar("SELECT count(*) FROM blob_data WHERE id = '" + released + "'"), 0);  // collected
}

TEST_F(FsckTest, YoungOrphanFilesAreInFlightNotProblems) {
  const std::string c(64, 'c');
  write_file(file_of(c), "being delivered");
  FsckReport r = fsck(true, 3600);
  EXPECT_TRUE(r.clean()) << lines(r);
  EXPECT_EQ(r.orphans_too_young, 1u);
  EXPECT_TRUE(std::filesystem::exists(file_of(c)));
  struct utimbuf old {1000000000, 1000000000};
  ASSERT_EQ(::utime(file_of(c).c_str(), &old), 0);
  EXPECT_EQ(kinds(fsck(false, 3600)), std::vector<std::string>{"orphan-blob-file"});
}

TEST_F(FsckTest, QueueEntryWithoutItsBlobIsReported) {
  const std::string gone(64, 'd');
  sql("INSERT INTO queue_entries(blob_id, size, sender, ret, envid, eight_bit, smtputf8, arrival, next_attempt) "
      "VALUES ('" + gone + "', 10, 'a@example.org', '', '', 0, 0, 1, 1)");
  FsckReport r = fsck(true);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"missing-blob"}) << lines(r);
  EXPECT_EQ(r.problems[0].subject, "queue entry 1");
}

TEST_F(FsckTest, NoStoreIsAnError) {
  auto r = fsck_sqlite_store(dir_ + "/nowhere", FsckOptions{});
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("no store"), std::string::npos);
}

// The full-text index: every message indexed (message_text_docsize) or pending (fts_pending), never both.
class FsckTextIndexTest : public FsckTest {
 protected:
  void SetUp() override {
    FsckTest::SetUp();
    // A known starting point: search text (deliver() gave none), everything indexed, nothing pending.
    sql("UPDATE message_texts SET search_text = CASE (SELECT uid FROM messages m WHERE m.id = message_texts.id) "
        "WHEN 1 THEN 'small hi' WHEN 2 THEN 'large message' ELSE 'third three' END; INSERT INTO message_text(message_text) VALUES ('rebuild'); DELETE FROM fts_pending;");
  }
  int64_t matches(const std::string& word) {
    return scalar("SELECT count(*) FROM message_text WHERE message_text MATCH '" + word + "'");
  }
};

TEST_F(FsckTextIndexTest, IndexedAndPendingMessagesAreBothClean) {
  EXPECT_TRUE(fsck(false).clean());
  EXPECT_EQ(matches("three"), 1);
  // Unindex one the way the store's triggers leave a new message: out of the index, waiting in fts_pending.
  sql("INSERT INTO message_text(message_text, rowid, search_text) SELECT 'delete', t.id, t.search_text "
      "FROM message_texts t JOIN messages m ON m.id = t.id WHERE m.uid = 3; "
      "INSERT INTO fts_pending(id) SELECT id FROM messages WHERE uid = 3;");
  FsckReport r = fsck(false);
  EXPECT_TRUE(r.clean()) << lines(r);
}

TEST_F(FsckTextIndexTest, UnindexedMessageIsQueuedAgain) {
  sql("INSERT INTO message_text(message_text, rowid, search_text) SELECT 'delete', t.id, t.search_text "
      "FROM message_texts t JOIN messages m ON m.id = t.id WHERE m.uid = 3");
  FsckReport r = fsck(false);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"fts-missing"}) << lines(r);
  EXPECT_NE(lines(r).find("1 messages neither indexed nor waiting"), std::string::npos) << lines(r);
  expect_repaired();
  EXPECT_EQ(scalar("SELECT count(*) FROM fts_pending p JOIN messages m ON m.id = p.id WHERE m.uid = 3"), 1);
}

TEST_F(FsckTextIndexTest, PendingEntryOfAnIndexedOrVanishedMessageIsRemoved) {
  sql("INSERT INTO fts_pending(id) SELECT id FROM messages WHERE uid = 2; INSERT INTO fts_pending(id) VALUES (999999);");
  FsckReport r = fsck(false);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"fts-pending"}) << lines(r);
  EXPECT_NE(lines(r).find("2 entries"), std::string::npos) << lines(r);
  expect_repaired();
  EXPECT_EQ(scalar("SELECT count(*) FROM fts_pending"), 0);
}

TEST_F(FsckTextIndexTest, StaleEntryIsRemovedByARebuild) {
  sql("INSERT INTO message_text(rowid, search_text) VALUES (999999, 'ghost words')");
  FsckReport r = fsck(false);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"fts-stale"}) << lines(r);
  expect_repaired();
  EXPECT_EQ(matches("three"), 1);
  EXPECT_EQ(scalar("SELECT count(*) FROM message_text_docsize"), 3);
  EXPECT_EQ(scalar("SELECT count(*) FROM fts_pending"), 0);
}

TEST_F(FsckTextIndexTest, DamagedIndexIsRebuilt) {
  // Segment pages gone (ids above 10: 1 is the averages record, 10 the structure record).
  sql("DELETE FROM message_text_data WHERE id > 10");
  FsckReport r = fsck(false);
  ASSERT_EQ(kinds(r), std::vector<std::string>{"fts-index"}) << lines(r);
  EXPECT_NE(lines(r).find("FTS5 integrity-check"), std::string::npos) << lines(r);
  expect_repaired();
  EXPECT_EQ(matches("three"), 1);
  EXPECT_EQ(matches("large"), 1);
}

}  // namespace
}  // namespace claret::store::sqlite
