// SqliteMetadataStore: the embedded default MetadataStore, one SQLite file in
// WAL mode. Schema and migrations: sqlite_migrations.h, docs/storage-schema.md.
//
// Durability: Apply returns after its transaction committed to the WAL, so an
// acknowledged batch survives a crash of the process (kill -9). With fsync
// (synchronous=FULL) the WAL is fsynced at every commit, so it also survives
// power loss; without it (synchronous=NORMAL) the last commits before a power
// loss may be lost, but the file stays consistent.
//
// Thread safety: safe for concurrent use. Reads take a connection from a small
// pool (WAL lets readers run beside the writer and each other, each on its own
// snapshot); no lock is held while a read runs. Writes queue for the single
// writer connection; the thread at the head of the queue commits the batches
// waiting behind it in the same transaction (group commit), so one WAL sync
// acknowledges many batches. Close() must not race other calls.
#pragma once

#include <memory>
#include <string>

#include "storage/metadata_store.h"

namespace ck::storage {

struct SqliteOptions {
  // synchronous=FULL (fsync the WAL at each commit) when true, NORMAL otherwise.
  bool fsync = false;
  // How long a connection waits on a lock held by another process.
  int busy_timeout_ms = 5000;
  // Read connections kept open between reads; more are opened on demand.
  size_t max_idle_readers = 8;
  // Group commit bounds: batches and bytes committed in one transaction.
  size_t max_group_batches = 128;
  size_t max_group_bytes = 8 << 20;
};

// Opens or creates the database at path (its directory must exist) and brings
// its schema up to date. Refuses a database written by a newer crosskey and
// SQLite files that are not crosskey metadata databases.
Result<std::unique_ptr<MetadataStore>> OpenSqliteMetadataStore(const std::string& path,
                                                               const SqliteOptions& options = {});

}  // namespace ck::storage
