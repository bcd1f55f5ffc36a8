// `claret fsck [--repair] [--grace SECONDS]`: checks the store (store/sqlite/fsck.hpp), one line per problem.
// Exit 0: clean; 1: problems found (also when --repair fixed them all: run again to confirm 0); 2: could not check.
//
// Runs beside a live `claret serve`: the check reads snapshots, and --repair takes the database's write lock
// like any writer and recomputes what it fixes inside that transaction. It does not open the store the way the
// other commands do (that would create or migrate it): a store that is not there or not current is an error.
#include <cstdio>

#include "app/commands.hpp"
#include "app/config_path.hpp"
#include "app/data_dir_owner.hpp"
#include "base/log.hpp"
#include "base/strings.hpp"
#include "io/privileges.hpp"
#include "store/sqlite/fsck.hpp"

namespace claret::app {

int cmd_fsck(const Words& words) {
  auto args = Args::parse(words, {"repair"}, {"config", "grace"});
  if (!args) return fail(args.error().message, 2);
  if (!args->positional().empty()) return fail("usage: claret fsck [--repair] [--grace SECONDS]", 2);
  store::FsckOptions options;
  options.repair = args->flag("repair");
  if (auto grace = args->option("grace")) {
    auto n = parse_u64(*grace);
    if (!n || *n > 10ull * 365 * 24 * 3600) return fail("--grace takes a number of seconds, not '" + *grace + "'", 2);
    options.orphan_grace_seconds = static_cast<int64_t>(*n);
  }
  log::set_level(log::Level::warn);
  auto cfg = load_config_or_report(*args);
  if (!cfg) return 2;
  // As the service user, like every admin command: a repair must not leave root-owned files behind.
  if (auto st = hand_data_dir_to(cfg->data_dir, cfg->user); !st) return fail(st.error().message, 2);
  if (auto st = cfg->user.empty() ? Status{} : io::drop_privileges(cfg->user); !st)
    return fail("cannot switch to user " + cfg->user + ": " + st.error().message, 2);

  auto report = store::sqlite::fsck_sqlite_store(cfg->data_dir.string(), options);
  if (!report) return fail(cfg->data_dir.string() + ": " + report.error().message, 2);
  for (const auto& p : report->problems) std::printf("%s\n", p.line().c_str());
  std::printf("fsck: %llu messages, %llu blobs", static_cast<unsigned long long>(report->messages),
              static_cast<unsigned long long>(report->blobs));
  if (report->orphans_too_young)
    std::printf(", %llu unreferenced blob files younger than %llds left alone",
                static_cast<unsigned long long>(report->orphans_too_young),
                static_cast<long long>(options.orphan_grace_seconds));
  if (report->released_blobs)
    std::printf(", %llu released blobs awaiting collection", static_cast<unsigned long long>(report->released_blobs));
  if (report->clean()) {
    std::printf(": clean\n");
    return 0;
  }
  std::printf(": %zu problems", report->problems.size());
  if (options.repair) std::printf(", %zu repaired", report->repaired_count());
  std::printf("\n");
  return 1;
}

}  // namespace claret::app
