// Crash safety: SIGKILL claret_store_crash_child at random moments, restart it, then check that every delivery it
// reported is stored with an intact blob, UIDs were never reused, and the database is consistent.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <random>
#include <sstream>

#include "store/sqlite/sqlite_store.hpp"

extern char** environ;

namespace claret::store::sqlite {
namespace {

struct Printed {
  AccountId account = 0;
  MailboxId mailbox = 0;
  uint32_t uid = 0;
  std::string blob;
  uint64_t size = 0;
};

std::string sha256_hex(const std::string& data);

std::string sha256_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string data((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return sha256_hex(data);
}

std::string sha256_hex(const std::string& data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned i = 0; i < len; ++i) {
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 15];
  }
  return out;
}

std::string blob_path(const std::string& data, const std::string& id) {
  return data + "/blobs/" + id.substr(0, 2) + "/" + id.substr(2, 2) + "/" + id;
}

// Runs the child until its first committed delivery (at most 30 s: start-up under a loaded machine and sanitizers
// is slow), then about `run_ms` more, SIGKILLs it, and returns everything it wrote to stdout.
std::string run_and_kill(const std::string& data_dir, int run_ms) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return {};
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
  std::string exe = CLARET_STORE_CRASH_CHILD;
  char* argv[] = {exe.data(), const_cast<char*>(data_dir.c_str()), nullptr};
  pid_t pid = 0;
  int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv, environ);
  posix_spawn_file_actions_destroy(&actions);
  ::close(fds[1]);
  if (rc != 0) {
    ::close(fds[0]);
    return {};
  }
  std::string out;
  char buf[4096];
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  bool started = false;
  bool killed = false;
  for (;;) {
    auto now = std::chrono::steady_clock::now();
    if (!killed && now >= deadline) {
      ::kill(pid, SIGKILL);
      killed = true;
    }
    int wait_ms = killed ? 2000 : static_cast<int>(
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now).count() + 1);
    pollfd p{fds[0], POLLIN, 0};
    int n = ::poll(&p, 1, wait_ms);
    if (n == 0) {
      if (killed) break;  // bounded: the pipe should hit EOF right after the kill
      continue;
    }
    ssize_t r = ::read(fds[0], buf, sizeof buf);
    if (r <= 0) break;  // EOF: the child is gone
    out.append(buf, static_cast<size_t>(r));
    if (!started) {
      started = true;
      deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(run_ms);
    }
  }
  if (!killed) ::kill(pid, SIGKILL);
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return out;
}

TEST(SqliteCrash, KilledWriterLosesNothingReportedAndNeverReusesUids) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "claret-crash-XXXXXX").string();
  ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
  const std::string root = tmpl;
  const std::string data = root + "/data";
  std::mt19937 rng(20261202);
  constexpr int kKills = 40;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(150);

  std::vector<Printed> printed;
  std::map<MailboxId, uint32_t> max_uid;  // highest uid ever printed per mailbox
  int runs = 0;
  for (int i = 0; i < kKills && std::chrono::steady_clock::now() < give_up; ++i, ++runs) {
    std::string out = run_and_kill(data, 40 + static_cast<int>(rng() % 400));
    std::map<MailboxId, uint32_t> before = max_uid;
    std::istringstream lines(out);
    std::string line;
    while (std::getline(lines, line)) {
      std::istringstream f(line);
      Printed p;
      ASSERT_TRUE(static_cast<bool>(f >> p.account >> p.mailbox >> p.uid >> p.blob >> p.size)) << line;
      // A uid printed in this run is above every uid printed by any earlier run: no reuse after a crash.
      EXPECT_GT(p.uid, before[p.mailbox]) << "uid reused after restart " << i;
      max_uid[p.mailbox] = std::max(max_uid[p.mailbox], p.uid);
      printed.push_back(p);
    }
  }
  EXPECT_GE(runs, 10);
  RecordProperty("runs", runs);
  RecordProperty("reported_deliveries", static_cast<int>(printed.size()));
  ASSERT_FALSE(printed.empty()) << "the child never committed a delivery";

  {
    auto s = open_sqlite_store(data);
    ASSERT_TRUE(s.ok()) << s.error().message;
    std::map<AccountId, std::unique_ptr<MailStore>> stores;
    for (const Printed& p : printed) {
      auto& m = stores[p.account];
      if (!m) {
        auto opened = (*s)->mail(p.account);
        ASSERT_TRUE(opened.ok());
        m = std::move(*opened);
      }
      auto rows = m->fetch_meta(p.mailbox, UidSet::of({p.uid}));
      ASSERT_TRUE(rows.ok());
      ASSERT_EQ(rows->size(), 1u) << "reported uid " << p.uid << " lost";
      EXPECT_EQ((*rows)[0].blob_id, p.blob);
      EXPECT_EQ((*rows)[0].size, p.size);
    }
    // Files a kill left between blob write and commit are unreferenced; the sweep removes exactly those.
    auto swept = (*s)->sweep_unreferenced_blobs(0);
    ASSERT_TRUE(swept.ok());
    RecordProperty("orphan_blobs_swept", static_cast<int>(*swept));
    for (const auto& [mailbox, uid] : max_uid) {
      for (auto& [account, m] : stores) {
        auto st = m->status(mailbox);
        if (st) {
          EXPECT_GT(st->uidnext, uid);
        }
      }
    }
  }

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open((data + "/claret.db").c_str(), &db), SQLITE_OK);
  auto text_rows = [&](const char* sql) {
    std::vector<std::string> out;
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db, sql, -1, &st, nullptr), SQLITE_OK) << sql;
    while (st && sqlite3_step(st) == SQLITE_ROW) {
      std::string row;
      for (int c = 0; c < sqlite3_column_count(st); ++c) {
        const unsigned char* t = sqlite3_column_text(st, c);
        if (c) row += '|';
        if (t) row += reinterpret_cast<const char*>(t);
      }
      out.push_back(row);
    }
    sqlite3_finalize(st);
    return out;
  };
  EXPECT_EQ(text_rows("PRAGMA integrity_check"), (std::vector<std::string>{"ok"}));
  EXPECT_TRUE(text_rows("PRAGMA foreign_key_check").empty());
  EXPECT_TRUE(text_rows("SELECT id FROM mailboxes m WHERE uidnext <= "
                        "(SELECT coalesce(max(uid), 0) FROM messages WHERE mailbox_id = m.id)")
                  .empty());
  // Trigger-maintained counters match the rows.
  EXPECT_TRUE(text_rows("SELECT m.id FROM mailboxes m WHERE m.total != (SELECT count(*) FROM messages WHERE "
                        "mailbox_id = m.id) OR m.total_size != (SELECT coalesce(sum(size), 0) FROM messages WHERE "
                        "mailbox_id = m.id) OR m.unseen != (SELECT count(*) FROM messages WHERE mailbox_id = m.id "
                        "AND (flags & 1) = 0)")
                  .empty());
  EXPECT_TRUE(text_rows("SELECT a.id FROM accounts a WHERE a.usage != "
                        "(SELECT coalesce(sum(size), 0) FROM messages WHERE account_id = a.id)")
                  .empty());
  // Reference counts match the messages, and every referenced blob file is present and intact.
  EXPECT_TRUE(text_rows("SELECT b.id FROM blobs b WHERE b.refcount != "
                        "(SELECT count(*) FROM messages WHERE blob_id = b.id)")
                  .empty());
  EXPECT_TRUE(text_rows("SELECT DISTINCT blob_id FROM messages WHERE blob_id NOT IN (SELECT id FROM blobs)").empty());
  // Small blobs live in blob_data (written by the delivering transaction), large ones in files.
  auto inline_blob = [&](const std::string& id) -> std::optional<std::string> {
    sqlite3_stmt* st = nullptr;
    std::optional<std::string> out;
    if (sqlite3_prepare_v2(db, "SELECT data FROM blob_data WHERE id = ?", -1, &st, nullptr) == SQLITE_OK) {
      sqlite3_bind_text(st, 1, id.data(), static_cast<int>(id.size()), SQLITE_TRANSIENT);
      if (sqlite3_step(st) == SQLITE_ROW)
        out.emplace(static_cast<const char*>(sqlite3_column_blob(st, 0)),
                    static_cast<size_t>(sqlite3_column_bytes(st, 0)));
    }
    sqlite3_finalize(st);
    return out;
  };
  size_t inline_count = 0;
  for (const std::string& row : text_rows("SELECT DISTINCT blob_id || '|' || size FROM messages")) {
    std::string id = row.substr(0, row.find('|'));
    uint64_t size = std::stoull(row.substr(row.find('|') + 1));
    if (auto bytes = inline_blob(id)) {
      ++inline_count;
      EXPECT_EQ(bytes->size(), size);
      EXPECT_EQ(sha256_hex(*bytes), id);
      continue;
    }
    std::string path = blob_path(data, id);
    ASSERT_TRUE(std::filesystem::exists(path)) << "message row without blob " << id;
    EXPECT_EQ(std::filesystem::file_size(path), size);
    EXPECT_EQ(sha256_file(path), id);
  }
  EXPECT_GT(inline_count, 0u);
  EXPECT_TRUE(text_rows("SELECT id FROM blob_data WHERE id NOT IN (SELECT id FROM blobs)").empty());
  size_t files = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(data + "/blobs"))
    if (e.is_regular_file() && e.path().parent_path().filename() != "tmp") ++files;
  EXPECT_GT(files, 0u);
  EXPECT_EQ(text_rows("SELECT count(*) FROM blobs"),
            (std::vector<std::string>{std::to_string(files + text_rows("SELECT id FROM blob_data").size())}));
  sqlite3_close(db);
  std::filesystem::remove_all(root);
}

}  // namespace
}  // namespace claret::store::sqlite
