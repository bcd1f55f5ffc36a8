// `claret serve` confines itself once its ports are bound and root is dropped (docs/security.md).
#include "app/serve_sandbox.hpp"

#include <cstdlib>
#include <filesystem>

#include "base/log.hpp"

namespace claret::app {
namespace {

namespace fs = std::filesystem;

// The directory holding `file`, both as written and with symlinks resolved: certbot's live/ names are symlinks
// into archive/, and renewal writes new files there, so the directory is allowed, not the file.
void add_directory_of(const fs::path& file, std::vector<fs::path>& out) {
  if (file.empty()) return;
  out.push_back(file.parent_path());
  std::error_code ec;
  fs::path real = fs::canonical(file, ec);
  if (!ec && real.parent_path() != file.parent_path()) out.push_back(real.parent_path());
}

}  // namespace

io::SandboxPaths serve_sandbox_paths(const config::Config& cfg) {
  io::SandboxPaths paths = io::system_sandbox_paths();
  paths.read_write.push_back(cfg.data_dir);
  add_directory_of(cfg.tls_cert, paths.read_only);
  add_directory_of(cfg.tls_key, paths.read_only);
  add_directory_of(cfg.webmail.ca_file, paths.read_only);
  // The outbound queue loads its relays' CA files when it connects, long after the sandbox is on.
  add_directory_of(cfg.queue.smarthost_ca_file, paths.read_only);
  for (const auto& [domain, route] : cfg.queue.routes) add_directory_of(route.ca_file, paths.read_only);
  if (const char* f = std::getenv("SSL_CERT_FILE"); f && *f) add_directory_of(f, paths.read_only);
  if (const char* d = std::getenv("SSL_CERT_DIR"); d && *d) paths.read_only.emplace_back(d);
  return paths;
}

Status confine_server(const config::Config& cfg) {
  // Core files would hold whatever mail was in memory; this holds with or without the sandbox.
  if (auto st = io::disable_core_dumps(); !st) log::warn("security.core_dumps", {{"error", st.error().message}});
  if (!cfg.security.sandbox) {
    log::info("security.sandbox.off");
    return {};
  }
  std::error_code ec;
  fs::create_directories(cfg.data_dir, ec);  // the store would create it later, but the rule needs it now
  // SQLite spills big sorts and temporary tables to /var/tmp or /tmp, which the sandbox refuses; it reads this
  // variable when it first needs such a file, so setting it before the store opens is enough.
  ::setenv("SQLITE_TMPDIR", cfg.data_dir.c_str(), 1);
  auto outcome = io::apply_sandbox(serve_sandbox_paths(cfg));
  if (!outcome) return make_error("cannot set up the sandbox: " + outcome.error().message +
                                  " (set [security] sandbox = false to run without it)");
  if (!outcome->applied) {
    log::warn("security.sandbox.unavailable", {{"reason", outcome->reason}});
    return {};
  }
  log::info("security.sandbox.on", {{"landlock_abi", outcome->abi},
                                    {"writable", cfg.data_dir.string()},
                                    {"tcp_bind", outcome->restricts_tcp_bind ? "denied" : "allowed"},
                                    {"signals_scoped", outcome->scoped ? "yes" : "no"}});
  return {};
}

}  // namespace claret::app
