// Schema migrations for the SQLite store: numbered, embedded, applied at open in one transaction; the schema version
// is PRAGMA user_version.
#pragma once

#include "store/sqlite/connection.hpp"

namespace claret::store::sqlite {

// The version a fully migrated database has.
int latest_schema_version();
// Brings the database to latest_schema_version(); throws SqlError (nothing applied) on failure, or if the
// database is newer than this binary.
void migrate(Connection& db);

}  // namespace claret::store::sqlite
