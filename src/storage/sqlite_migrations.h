// Versioned schema migrations for the SQLite metadata store.
//
// PRAGMA user_version holds the number of the last migration applied. Opening
// a database applies, in one transaction, every step above that number; a
// database whose version is above the newest step this binary knows is
// refused (it was written by a newer crosskey). PRAGMA application_id marks
// the file as a crosskey metadata database so a foreign SQLite file is refused.
//
// Policy: steps are append-only. A released step is never edited; changes to
// the schema add a new step. See docs/storage-schema.md.
//
// Thread safety: call with a connection no other thread is using.
#pragma once

#include <span>

#include "storage/sqlite_connection.h"

namespace ck::storage::sqlite {

struct Migration {
  int version;      // 1, 2, 3 ... consecutive
  const char* sql;  // may hold several statements
};

// 'CKEY': identifies crosskey metadata databases.
inline constexpr int32_t kApplicationId = 0x434B4559;

// The steps of the metadata schema, oldest first.
std::span<const Migration> MetadataMigrations();

// Brings the database up to the last step of `steps`. Atomic: on failure the
// schema and user_version are as before. Returns the resulting version.
Result<int> Migrate(SqliteConnection& conn, std::span<const Migration> steps);

}  // namespace ck::storage::sqlite
