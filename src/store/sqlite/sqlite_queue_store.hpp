// open_sqlite_queue_store: queue::QueueStore on the store's SQLite database (tables queue_entries, queue_recipients).
#pragma once

#include <memory>
#include <string>

#include "base/result.hpp"
#include "queue/queue_store.hpp"

namespace claret::store::sqlite {

// Opens <data_dir>/claret.db with its own connection and writer thread (applying migrations), and the blob
// directory <data_dir>/blobs to check that enqueued blobs exist. Queue rows hold a reference on their blob
// (blobs.refcount), so mail-store expunges never delete bytes still waiting in the queue.
Result<std::unique_ptr<queue::QueueStore>> open_sqlite_queue_store(const std::string& data_dir);

}  // namespace claret::store::sqlite
