#include "store/sqlite/checkpointer.hpp"

#include <sqlite3.h>

#include <exception>

#include "base/log.hpp"
#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

Checkpointer::Checkpointer(std::string db_path, int threshold_pages)
    : path_(std::move(db_path)), threshold_(threshold_pages) {
  thread_ = std::thread([this] { loop(); });
}

Checkpointer::~Checkpointer() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

void Checkpointer::attach(Connection& writer) {
  writer.exec("PRAGMA wal_autocheckpoint=0");
  sqlite3_wal_hook(writer.handle(), &Checkpointer::on_commit, this);
}

int Checkpointer::on_commit(void* self, sqlite3*, const char*, int wal_pages) {
  auto* c = static_cast<Checkpointer*>(self);
  if (wal_pages >= c->threshold_) {
    {
      std::lock_guard<std::mutex> lock(c->mu_);
      c->due_ = true;
    }
    c->cv_.notify_one();
  }
  return SQLITE_OK;
}

void Checkpointer::loop() {
  std::unique_ptr<Connection> db;
  for (;;) {
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [&] { return stopping_ || due_; });
      if (stopping_) return;
      due_ = false;
    }
    try {
      if (!db) db = Connection::open(path_, false);
      // PASSIVE copies what no reader still needs and never waits; the writer rewinds the WAL on its next commit
      // once everything was copied, which keeps the file from growing.
      db->exec("PRAGMA wal_checkpoint(PASSIVE)");
    } catch (const std::exception& e) {
      log::warn("store.checkpoint.failed", {{"error", e.what()}});
      db.reset();
    }
  }
}

}  // namespace claret::store::sqlite
