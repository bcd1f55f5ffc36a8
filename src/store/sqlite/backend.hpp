// Backend: the shared parts of an open SQLite store (writer, readers, blobs, change bus) that the Directory and
// MailStore implementations act on.
#pragma once

#include <memory>
#include <string>

#include "store/change_bus.hpp"
#include "store/change_notifier.hpp"
#include "store/file_blob_store.hpp"
#include "store/sqlite/checkpointer.hpp"
#include "store/sqlite/flag_cache.hpp"
#include "store/sqlite/reader_pool.hpp"
#include "store/sqlite/select_memo.hpp"
#include "store/sqlite/sqlite_blob_store.hpp"
#include "store/sqlite/wal_probe.hpp"
#include "store/sqlite/writer.hpp"

namespace claret::store::sqlite {

// Member order is destruction order reversed: the writer drains first (its commits feed the notifier), then the
// notifier publishes what is left, then the bus goes.
struct Backend {
  std::string data_dir;
  ChangeBus bus;
  std::unique_ptr<ChangeNotifier> notifier;
  std::unique_ptr<FileBlobStore> files;   // large blobs, and the orphan sweep
  // Two reader pools. `readers` (metadata, flags, search) read pages with pread into each connection's cache: SQLite
  // drops a mapped reader's whole mapping at the first read after any commit, so under IMAP write load every mapped
  // metadata read paid munmap + page faults (measured: half the server's CPU in the c=50 mixed workload, and a 50 ms
  // queue for the 4 connections). `body_readers` map the file: whole bodies (RETR, FETCH BODY[]) are many overflow
  // pages read once, where a mapping beats a pread per page; their remaps touch only the few pages a body spans.
  std::unique_ptr<ReaderPool> readers;
  std::unique_ptr<ReaderPool> body_readers;
  std::unique_ptr<SqliteBlobStore> blobs;  // what callers see: small blobs in the database, the rest in `files`
  std::unique_ptr<Checkpointer> checkpointer;  // outlives the writer, whose commits it hears about
  std::unique_ptr<Writer> writer;
  std::unique_ptr<FlagCache> flags;  // big mailboxes' UID and flag listings (flag_cache.hpp)
  // After the writer: the probe reads the writer connection's mapping of the WAL index, so it goes first.
  std::unique_ptr<WalProbe> wal_probe;  // null or inactive: no memo, every SELECT reads the database
  SelectMemo select_memo;

  template <typename T, typename Fn>
  Result<T> read(Fn&& fn) {
    return readers->read<T>(std::forward<Fn>(fn));
  }
  template <typename T>
  Result<T> write(std::function<Result<T>(WriteContext&)> fn, Durability durability = Durability::strict) {
    return writer->run<T>(std::move(fn), durability);
  }
};

// Default mailboxes of a new account: (name, special-use).
inline constexpr std::pair<const char*, const char*> kDefaultMailboxes[] = {
    {"INBOX", ""},        {"Drafts", "\\Drafts"}, {"Sent", "\\Sent"},
    {"Trash", "\\Trash"}, {"Junk", "\\Junk"},     {"Archive", "\\Archive"},
};

}  // namespace claret::store::sqlite
