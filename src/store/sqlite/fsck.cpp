// fsck_sqlite_store: open the database without creating or migrating it, check, repair, check again.
#include "store/sqlite/fsck.hpp"

#include <sys/stat.h>

#include "store/sqlite/fsck_parts.hpp"
#include "store/sqlite/migrations.hpp"

namespace claret::store::sqlite {

Result<FsckReport> fsck_sqlite_store(const std::string& data_dir, const FsckOptions& options) {
  const std::string db_path = data_dir + "/claret.db";
  struct stat st {};
  if (::stat(db_path.c_str(), &st) != 0) return make_error("no store at " + data_dir + " (" + db_path + " missing)");
  try {
    auto db = Connection::open(db_path, false);
    const int64_t version = db->scalar(0, "PRAGMA user_version");
    if (version != latest_schema_version())
      return make_error("store schema version " + std::to_string(version) + ", this binary checks version " +
                        std::to_string(latest_schema_version()) +
                        (version < latest_schema_version() ? " (start `claret serve` once to upgrade it)" : ""));
    FsckReport before = fsck::check_store(*db, data_dir, options);
    // A repair also collects released blobs, which are not problems.
    if (!options.repair || (before.clean() && before.released_blobs == 0)) return before;
    fsck::repair_store(*db, data_dir, options);
    FsckReport after = fsck::check_store(*db, data_dir, options);
    before.released_blobs = after.released_blobs;
    for (FsckProblem& p : before.problems) {
      if (!p.repairable) continue;
      bool still = false;
      for (const FsckProblem& q : after.problems) still = still || q.same_as(p);
      p.repaired = !still;
    }
    return before;
  } catch (const SqlError& e) {
    return make_error(std::string("database error: ") + e.what());
  }
}

}  // namespace claret::store::sqlite
