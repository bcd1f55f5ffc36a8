// Checkpointer: copies the WAL back into the database file on a thread of its own, so the writer's commits only
// append to the WAL. With SQLite's automatic checkpoints the writer thread did this itself, inside the COMMIT of every
// batch that crossed the threshold, with an fsync of the database file — latency every delivery in that batch paid.
#pragma once
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

struct sqlite3;

namespace claret::store::sqlite {

class Connection;

class Checkpointer {
 public:
  // Checkpoints (PASSIVE: never blocks the writer or readers) whenever the WAL has grown past `threshold_pages`.
  Checkpointer(std::string db_path, int threshold_pages);
  ~Checkpointer();  // stops the thread; SQLite checkpoints what is left when the last connection closes
  Checkpointer(const Checkpointer&) = delete;
  Checkpointer& operator=(const Checkpointer&) = delete;

  // Turns off automatic checkpoints on the writer's connection and reports its commits to this object.
  void attach(Connection& writer);

 private:
  static int on_commit(void* self, sqlite3* db, const char* schema, int wal_pages);
  void loop();

  std::string path_;
  int threshold_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool due_ = false;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace claret::store::sqlite
