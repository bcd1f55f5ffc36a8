// Connection/Statement: a thin RAII layer over one sqlite3 handle with a prepared-statement cache.
// Internal to store/sqlite: SQL failures throw SqlError, which the writer and reader boundaries turn into
// Errc::internal, so no exception ever leaves the store's public interface.
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <unordered_map>

struct sqlite3;
struct sqlite3_stmt;

namespace claret::store::sqlite {

class SqlError : public std::runtime_error {
 public:
  SqlError(int code, const std::string& what) : std::runtime_error(what), code_(code) {}
  int code() const { return code_; }

 private:
  int code_;
};

class Connection;

// A prepared statement borrowed from the connection's cache; reset and returned to the cache on destruction.
class Statement {
 public:
  Statement(Statement&& other) noexcept;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  Statement& operator=(Statement&&) = delete;
  ~Statement();

  Statement& bind(int index, int64_t value);
  Statement& bind(int index, std::string_view text);
  Statement& bind(int index, const std::string& text) { return bind(index, std::string_view(text)); }
  Statement& bind(int index, const char* text) { return bind(index, std::string_view(text)); }
  Statement& bind_blob(int index, std::string_view bytes);
  Statement& bind_null(int index);

  // Binds arguments to parameters 1..n in order.
  template <typename... Args>
  Statement& bind_all(Args&&... args) {
    int i = 0;
    (bind(++i, std::forward<Args>(args)), ...);
    return *this;
  }

  bool step();  // true when a row is available
  void run();   // steps to completion, ignoring rows

  int64_t int64(int column) const;
  std::string text(int column) const;
  // The column's bytes without a copy: valid until the next step(), reset or destruction of the statement.
  std::string_view bytes_view(int column) const;
  bool is_null(int column) const;

 private:
  friend class Connection;
  Statement(Connection* db, sqlite3_stmt* stmt, bool cached) : db_(db), stmt_(stmt), cached_(cached) {}
  Connection* db_;
  sqlite3_stmt* stmt_;
  bool cached_;
};

class Connection {
 public:
  // Opens (creating if asked) the database file with WAL journaling, FULL sync, foreign keys and a busy timeout.
  static std::unique_ptr<Connection> open(const std::string& path, bool create);
  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  void exec(std::string_view sql);
  // Cached: for the fixed SQL text of the store's queries.
  Statement prepare(std::string_view sql);
  // Not cached (finalized after use): for SQL built at run time (search programs, uid lists).
  Statement prepare_once(std::string_view sql);
  template <typename... Args>
  Statement query(std::string_view sql, Args&&... args) {
    Statement s = prepare(sql);
    s.bind_all(std::forward<Args>(args)...);
    return s;
  }
  // Runs a statement with arguments to completion.
  template <typename... Args>
  void run(std::string_view sql, Args&&... args) {
    query(sql, std::forward<Args>(args)...).run();
  }
  // First column of the first row, or `fallback` when there is no row.
  template <typename... Args>
  int64_t scalar(int64_t fallback, std::string_view sql, Args&&... args) {
    Statement s = query(sql, std::forward<Args>(args)...);
    return s.step() ? s.int64(0) : fallback;
  }

  // Copies `n` bytes from offset 0 of the BLOB in table.column at `rowid` into `dst` with SQLite's incremental blob
  // I/O: straight from the pages into the caller's buffer, without assembling the row in a buffer of SQLite's first.
  // Throws SqlError when the row is gone or the blob is shorter than `n`.
  void read_blob(const char* table, const char* column, int64_t rowid, char* dst, uint64_t n);

  int64_t last_insert_rowid() const;
  int changes() const;
  [[noreturn]] void fail(int rc, std::string_view context) const;
  sqlite3* handle() const { return db_; }  // for SQLite hooks (Checkpointer)

 private:
  friend class Statement;
  explicit Connection(sqlite3* db) : db_(db) {}
  void release(sqlite3_stmt* stmt);

  sqlite3* db_;
  struct CacheEntry {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };
  std::unordered_map<std::string, CacheEntry> cache_;
  std::unordered_map<sqlite3_stmt*, std::string> sql_of_;
};

}  // namespace claret::store::sqlite
