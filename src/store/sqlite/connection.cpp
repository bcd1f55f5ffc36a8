// Connection/Statement over the SQLite C API (https://sqlite.org/c3ref/intro.html).
#include "store/sqlite/connection.hpp"

#include <sqlite3.h>

namespace claret::store::sqlite {

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_), cached_(other.cached_) {
  other.stmt_ = nullptr;
}

Statement::~Statement() {
  if (!stmt_) return;
  if (cached_) {
    db_->release(stmt_);
  } else {
    sqlite3_finalize(stmt_);
  }
}

Statement& Statement::bind(int index, int64_t value) {
  int rc = sqlite3_bind_int64(stmt_, index, value);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Statement& Statement::bind(int index, std::string_view text) {
  int rc = sqlite3_bind_text64(stmt_, index, text.data(), text.size(), SQLITE_TRANSIENT, SQLITE_UTF8);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Statement& Statement::bind_blob(int index, std::string_view bytes) {
  int rc = sqlite3_bind_blob64(stmt_, index, bytes.data(), bytes.size(), SQLITE_TRANSIENT);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

Statement& Statement::bind_null(int index) {
  int rc = sqlite3_bind_null(stmt_, index);
  if (rc != SQLITE_OK) db_->fail(rc, "bind");
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  db_->fail(rc, sqlite3_sql(stmt_));
}

void Statement::run() {
  while (step()) {
  }
}

int64_t Statement::int64(int column) const { return sqlite3_column_int64(stmt_, column); }

std::string Statement::text(int column) const {
  // Blob access works for TEXT and BLOB columns alike and never stops at an embedded NUL.
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  if (!p || n <= 0) return {};
  return std::string(static_cast<const char*>(p), static_cast<size_t>(n));
}

std::string_view Statement::bytes_view(int column) const {
  const void* p = sqlite3_column_blob(stmt_, column);
  int n = sqlite3_column_bytes(stmt_, column);
  if (!p || n <= 0) return {};
  return {static_cast<const char*>(p), static_cast<size_t>(n)};
}

bool Statement::is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

namespace {
// Process-wide SQLite settings, applied once before the library initialises (sqlite3_config must precede it).
// Memory statistics off: Debian's libsqlite3 keeps them on (no SQLITE_DEFAULT_MEMSTATUS=0), so every sqlite3_malloc
// and sqlite3_free — and with OMIT_LOOKASIDE in that build, every small allocation goes there — takes one global
// mutex. The writer, the checkpointer and the readers on the offload threads then queue on that mutex (futex waits
// under SMTP load). Nothing in claret reads sqlite3_status/sqlite3_memory_used or sets a soft heap limit.
// (https://sqlite.org/compile.html#default_memstatus)
bool configure_sqlite_once() {
  static const bool done = [] {
    // SQLITE_MISUSE when something already initialised SQLite (a test opening a raw handle first): harmless.
    (void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
    return true;
  }();
  return done;
}
}  // namespace

std::unique_ptr<Connection> Connection::open(const std::string& path, bool create) {
  (void)configure_sqlite_once();
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (create ? SQLITE_OPEN_CREATE : 0);
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  std::unique_ptr<Connection> conn(new Connection(db));
  if (rc != SQLITE_OK) conn->fail(rc, "open " + path);
  sqlite3_extended_result_codes(db, 1);
  // A reader may briefly wait for a WAL checkpoint; never fail immediately with SQLITE_BUSY.
  sqlite3_busy_timeout(db, 10000);
  conn->exec("PRAGMA journal_mode=WAL");
  conn->exec("PRAGMA synchronous=FULL");
  conn->exec("PRAGMA foreign_keys=ON");
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, entry] : cache_) sqlite3_finalize(entry.stmt);
  sqlite3_close_v2(db_);
}

namespace {
// Transaction control runs several times per store call (every read is BEGIN … COMMIT, every writer job a
// SAVEPOINT): parsing it each time was ~8 % of the IMAP server's CPU, so these go through the statement cache.
bool is_transaction_control(std::string_view sql) {
  for (std::string_view verb : {"BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT ", "RELEASE "})
    if (sql.substr(0, verb.size()) == verb) return sql.size() < 40 && sql.find(';') == std::string_view::npos;
  return false;
}
}  // namespace

void Connection::exec(std::string_view sql) {
  if (is_transaction_control(sql)) {
    prepare(sql).run();
    return;
  }
  std::string s(sql);
  char* err = nullptr;
  int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
  if (rc != SQLITE_OK) {
    std::string msg = err ? err : sqlite3_errstr(rc);
    sqlite3_free(err);
    throw SqlError(rc, msg + " in: " + s.substr(0, 120));
  }
}

Statement Connection::prepare(std::string_view sql) {
  std::string key(sql);
  auto it = cache_.find(key);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Statement(this, it->second.stmt, true);
  }
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v3(db_, key.data(), static_cast<int>(key.size()), SQLITE_PREPARE_PERSISTENT, &stmt,
                              nullptr);
  if (rc != SQLITE_OK) fail(rc, key);
  if (it == cache_.end()) {
    cache_.emplace(key, CacheEntry{stmt, true});
    sql_of_.emplace(stmt, key);
    return Statement(this, stmt, true);
  }
  // The cached copy is busy (a nested use of the same SQL): this one is finalized after use.
  return Statement(this, stmt, false);
}

Statement Connection::prepare_once(std::string_view sql) {
  sqlite3_stmt* stmt = nullptr;
  int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
  if (rc != SQLITE_OK) fail(rc, sql);
  return Statement(this, stmt, false);
}

void Connection::release(sqlite3_stmt* stmt) {
  sqlite3_reset(stmt);
  sqlite3_clear_bindings(stmt);
  auto it = sql_of_.find(stmt);
  if (it != sql_of_.end()) cache_[it->second].in_use = false;
}

void Connection::read_blob(const char* table, const char* column, int64_t rowid, char* dst, uint64_t n) {
  sqlite3_blob* blob = nullptr;
  int rc = sqlite3_blob_open(db_, "main", table, column, rowid, 0, &blob);
  if (rc != SQLITE_OK) {
    sqlite3_blob_close(blob);  // a handle may be returned even on failure; closing nullptr is a no-op
    fail(rc, "blob open");
  }
  if (static_cast<uint64_t>(sqlite3_blob_bytes(blob)) < n) {
    sqlite3_blob_close(blob);
    throw SqlError(SQLITE_CORRUPT, "blob shorter than expected");
  }
  rc = n == 0 ? SQLITE_OK : sqlite3_blob_read(blob, dst, static_cast<int>(n), 0);
  sqlite3_blob_close(blob);
  if (rc != SQLITE_OK) fail(rc, "blob read");
}

int64_t Connection::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Connection::changes() const { return sqlite3_changes(db_); }

void Connection::fail(int rc, std::string_view context) const {
  std::string msg = sqlite3_errmsg(db_) ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
  throw SqlError(rc, msg + " (" + std::string(context.substr(0, 160)) + ")");
}

}  // namespace claret::store::sqlite
