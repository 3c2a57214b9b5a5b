#include "storage/sqlite_migrations.h"

#include <string>

namespace ck::storage::sqlite {
namespace {

// One physical table for every logical table: the statement set stays fixed
// (prepared once per connection), no DDL happens at run time, and a logical
// table is just a key range of the primary key. WITHOUT ROWID makes the
// (tbl, k) B-tree the table itself, so a scan reads rows in key order without
// a second lookup. BLOB columns compare with memcmp.
constexpr Migration kMetadataMigrations[] = {
    {1,
     "CREATE TABLE kv ("
     "  tbl TEXT NOT NULL,"
     "  k   BLOB NOT NULL,"
     "  v   BLOB NOT NULL,"
     "  PRIMARY KEY (tbl, k)"
     ") WITHOUT ROWID;"},
};

class Rollback {
 public:
  explicit Rollback(SqliteConnection& c) : c_(c) {}
  ~Rollback() {
    if (armed_) (void)c_.Exec("ROLLBACK");
  }
  void Disarm() { armed_ = false; }

 private:
  SqliteConnection& c_;
  bool armed_ = true;
};

}  // namespace

std::span<const Migration> MetadataMigrations() { return kMetadataMigrations; }

Result<int> Migrate(SqliteConnection& conn, std::span<const Migration> steps) {
  int latest = steps.empty() ? 0 : steps.back().version;
  // IMMEDIATE: two processes opening the same new file must not both migrate.
  CK_RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  Rollback rollback(conn);
  CK_ASSIGN_OR_RETURN(int64_t app_id, conn.QueryInt("PRAGMA application_id"));
  CK_ASSIGN_OR_RETURN(int64_t version, conn.QueryInt("PRAGMA user_version"));
  if (app_id != 0 && app_id != kApplicationId) {
    return FailedPrecondition("not a crosskey metadata database (application_id " +
                              std::to_string(app_id) + ")");
  }
  if (app_id == 0 && version == 0) {
    CK_ASSIGN_OR_RETURN(int64_t tables, conn.QueryInt("SELECT count(*) FROM sqlite_schema"));
    if (tables != 0) {
      return FailedPrecondition("database has tables but no crosskey schema version; refusing");
    }
  }
  if (version > latest) {
    return FailedPrecondition("metadata database schema version " + std::to_string(version) +
                              " is newer than this crosskey supports (" +
                              std::to_string(latest) + "); upgrade crosskey");
  }
  int expected = 1;
  for (const Migration& m : steps) {
    if (m.version != expected++) return Internal("migration steps are not consecutive");
    if (m.version <= version) continue;
    Status s = conn.Exec(m.sql);
    if (!s.ok()) {
      return Status(s.code(), "schema migration " + std::to_string(m.version) + ": " + s.message());
    }
  }
  if (version < latest || app_id == 0) {
    CK_RETURN_IF_ERROR(conn.Exec("PRAGMA application_id = " + std::to_string(kApplicationId)));
    CK_RETURN_IF_ERROR(conn.Exec("PRAGMA user_version = " + std::to_string(latest)));
  }
  CK_RETURN_IF_ERROR(conn.Exec("COMMIT"));
  rollback.Disarm();
  return latest;
}

}  // namespace ck::storage::sqlite
