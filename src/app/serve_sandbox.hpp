// The Landlock sandbox of `claret serve`: which paths it may write and read, derived from the configuration.
#pragma once

#include "base/result.hpp"
#include "config/config.hpp"
#include "io/sandbox.hpp"

namespace claret::app {

// Writable: the data directory (database, WAL, blobs, queue, DKIM keys, webmail state all live there).
// Readable: the directories of the TLS certificate and key (SIGHUP re-reads them, and renewal tools replace
// the files), of the webmail's CA file and of OpenSSL's SSL_CERT_FILE/SSL_CERT_DIR, plus the system's paths.
io::SandboxPaths serve_sandbox_paths(const config::Config& cfg);

// Disables core dumps, then, unless `[security] sandbox = false`, points SQLite's temporary files into the
// data directory and applies the sandbox. Logs `security.sandbox.on`, `.off` or (Landlock missing, one
// warning) `.unavailable`. Call after dropping privileges, before opening the store or starting any thread.
Status confine_server(const config::Config& cfg);

}  // namespace claret::app
