#include "services/s3/object_store.h"

#include "base/codec.h"
#include "services/s3/errors.h"
#include "storage/key_codec.h"
#include "storage/scan_range.h"

namespace ck::services::s3 {

namespace {

constexpr int kCasAttempts = 20;
constexpr int kCommitAttempts = 50;
constexpr size_t kAllVersions = 100000;  // a key rarely has many versions
constexpr size_t kAllParts = 10001;

std::string Unquote(std::string_view etag) {
  etag = Trim(etag);
  if (StartsWith(etag, "W/")) etag.remove_prefix(2);
  if (etag.size() >= 2 && etag.front() == '"' && etag.back() == '"') etag = etag.substr(1, etag.size() - 2);
  return std::string(etag);
}

}  // namespace

// --- ListFrom ---

ListFrom ListFrom::AfterKey(const std::string& bucket, const std::string& key) {
  ListFrom f;
  f.after_ = ObjectKey(bucket, key);
  return f;
}

ListFrom ListFrom::PastKey(const std::string& bucket, const std::string& key) {
  ListFrom f;
  f.at_ = storage::PrefixSuccessor(ObjectKey(bucket, key)).value_or("");
  return f;
}

ListFrom ListFrom::PastPrefix(const std::string& bucket, const std::string& prefix) {
  ListFrom f;
  f.at_ = storage::PrefixSuccessor(ObjectPrefix(bucket, prefix)).value_or("");
  f.end_ = f.at_.empty();
  return f;
}

ListFrom ListFrom::AfterVersion(const std::string& bucket, const std::string& key, uint64_t seq) {
  ListFrom f;
  f.after_ = VersionKey(bucket, key, seq);
  return f;
}

ListFrom ListFrom::AfterUpload(const std::string& bucket, const std::string& key, const std::string& upload_id) {
  ListFrom f;
  f.after_ = UploadKey(bucket, key, upload_id);
  return f;
}

ListFrom ListedRow::After() const {
  ListFrom f;
  f.after_ = row_key;
  return f;
}

// --- Construction, loading ---

ObjectStore::ObjectStore(storage::MetadataStore& meta, storage::BlobStore& blobs)
    : meta_(meta),
      blobs_(blobs),
      buckets_(meta, kBucketsTable),
      objects_(meta, kObjectsTable),
      versions_(meta, kVersionsTable),
      uploads_(meta, kUploadsTable),
      parts_(meta, kPartsTable),
      cache_(meta) {}

template <class R>
Result<std::optional<Stored<R>>> ObjectStore::Load(RecordTable<R>& table, const std::string& key) {
  CK_ASSIGN_OR_RETURN(auto raw, table.store().Get(table.name(), key));
  if (!raw) return std::optional<Stored<R>>();
  CK_ASSIGN_OR_RETURN(auto rec, table.Decode(key, *raw));
  return std::optional<Stored<R>>(Stored<R>{key, std::move(*raw), std::move(rec)});
}

// --- Buckets ---

Result<std::shared_ptr<const BucketRecord>> ObjectStore::Bucket(const std::string& name) {
  CK_ASSIGN_OR_RETURN(auto b, cache_.Get(name));
  if (!b) return errors::MissingBucket(name);
  return b;
}

Status ObjectStore::UpdateBucket(const std::string& name, const std::function<Status(BucketRecord&)>& fn) {
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto cur, Load(buckets_, name));
    if (!cur) return errors::MissingBucket(name);
    CK_RETURN_IF_ERROR(fn(cur->rec));
    storage::WriteBatch batch;
    batch.ExpectValue(kBucketsTable, name, cur->raw);
    buckets_.Put(batch, name, cur->rec);
    Status st = meta_.Apply(batch);
    cache_.Changed();
    if (storage::IsPreconditionFailure(st)) continue;
    return st;
  }
  return errors::Conflict();
}

Result<std::optional<BucketRecord>> ObjectStore::CreateBucket(const BucketRecord& b) {
  CK_ASSIGN_OR_RETURN(auto existing, buckets_.Get(b.name));
  if (existing) return existing;
  storage::WriteBatch batch;
  batch.ExpectAbsent(kBucketsTable, b.name);
  buckets_.Put(batch, b.name, b);
  batch.Put(kBucketOwnersTable, OwnerIndexKey(b.owner, b.name), "");
  Status st = meta_.Apply(batch);
  cache_.Changed();
  if (storage::IsPreconditionFailure(st)) return errors::Conflict();
  CK_RETURN_IF_ERROR(st);
  return std::optional<BucketRecord>();
}

Status ObjectStore::RemoveUploads(const std::string& bucket) {
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto ups, meta_.Scan(kUploadsTable, {.prefix = storage::KeyPart(bucket), .limit = 100}));
    if (ups.empty()) return Status::Ok();
    for (const auto& u : ups) {
      auto rec = uploads_.Decode(u.key, u.value);
      storage::WriteBatch batch;
      uploads_.Delete(batch, u.key);
      std::vector<Segment> released;
      if (rec.ok()) {
        CK_ASSIGN_OR_RETURN(auto parts,
                            meta_.Scan(kPartsTable, {.prefix = PartsPrefix(rec->upload_id), .limit = kAllParts}));
        for (const auto& p : parts) {
          parts_.Delete(batch, p.key);
          if (auto part = parts_.Decode(p.key, p.value); part.ok()) released.push_back(part->segment);
        }
      }
      CK_RETURN_IF_ERROR(meta_.Apply(batch));
      Release(released);
    }
  }
}

Status ObjectStore::DeleteBucket(const BucketRecord& b) {
  for (const char* table : {kVersionsTable, kObjectsTable}) {
    CK_ASSIGN_OR_RETURN(auto any, meta_.Scan(table, {.prefix = storage::KeyPart(b.name), .limit = 1}));
    if (!any.empty())
      return errors::BucketNotEmpty(b.versioned() ? "The bucket you tried to delete is not empty. You must delete all "
                                                    "versions in the bucket."
                                                  : "The bucket you tried to delete is not empty")
          .WithField("BucketName", b.name);
  }
  CK_RETURN_IF_ERROR(RemoveUploads(b.name));
  storage::WriteBatch batch;
  buckets_.Delete(batch, b.name);
  batch.Delete(kBucketOwnersTable, OwnerIndexKey(b.owner, b.name));
  Status st = meta_.Apply(batch);
  cache_.Changed();
  return st;
}

Result<std::vector<std::string>> ObjectStore::OwnedBuckets(const std::string& account, const std::string& prefix,
                                                           const std::string& start_after, size_t limit) {
  std::string base = storage::KeyPart(account);
  storage::ScanOptions opts{.prefix = base + storage::KeyPrefix(prefix), .limit = limit};
  if (!start_after.empty()) opts.start_after = base + storage::KeyPart(start_after);
  CK_ASSIGN_OR_RETURN(auto rows, meta_.Scan(kBucketOwnersTable, opts));
  std::vector<std::string> names;
  for (const auto& row : rows) {
    storage::KeyReader kr(row.key);
    std::string acct, name;
    if (kr.ReadPart(&acct) && kr.ReadPart(&name)) names.push_back(std::move(name));
  }
  return names;
}

// --- Objects ---

Result<std::optional<ObjectRecord>> ObjectStore::Current(const std::string& bucket, const std::string& key) {
  CK_ASSIGN_OR_RETURN(auto rec, CurrentShared(bucket, key));
  if (!rec) return std::optional<ObjectRecord>();
  return std::optional<ObjectRecord>(*rec);
}

Result<std::shared_ptr<const ObjectRecord>> ObjectStore::CurrentShared(const std::string& bucket,
                                                                       const std::string& key) {
  const std::string okey = ObjectKey(bucket, key);
  if (auto known = objects_cache_.Find(okey)) return *known;
  const uint64_t token = objects_cache_.Begin(okey);  // before the read (object_cache.h)
  CK_ASSIGN_OR_RETURN(auto rec, objects_.Get(okey));
  std::shared_ptr<const ObjectRecord> shared;
  if (rec) shared = std::make_shared<const ObjectRecord>(std::move(*rec));
  objects_cache_.Offer(okey, token, shared);
  return shared;
}

Result<std::vector<storage::Record>> ObjectStore::VersionsOf(const std::string& bucket, const std::string& key,
                                                             size_t limit) {
  return meta_.Scan(kVersionsTable, {.prefix = ObjectKey(bucket, key), .limit = limit});
}

Result<std::optional<Stored<ObjectRecord>>> ObjectStore::FindVersion(const BucketRecord& b, const std::string& key,
                                                                     const std::string& version_id, bool* invalid) {
  using Found = std::optional<Stored<ObjectRecord>>;
  auto seq = SeqOfVersionId(version_id);
  if (!seq) return errors::BadArgument("Invalid version id specified", "versionId", version_id);
  if (version_id == "null") {
    CK_ASSIGN_OR_RETURN(auto all, VersionsOf(b.name, key, kAllVersions));
    for (auto& r : all) {
      CK_ASSIGN_OR_RETURN(auto rec, versions_.Decode(r.key, r.value));
      if (rec.version_id == "null") return Found(Stored<ObjectRecord>{r.key, std::move(r.value), std::move(rec)});
    }
    return Found();
  }
  CK_ASSIGN_OR_RETURN(auto row, Load(versions_, VersionKey(b.name, key, *seq)));
  if (row && row->rec.version_id != version_id) {
    // The id names a version of this key that has another id: not an id S3 gave.
    if (invalid) *invalid = true;
    return Found();
  }
  return row;
}

Result<ObjectRecord> ObjectStore::Version(const BucketRecord& b, const std::string& key,
                                          const std::string& version_id) {
  if (!version_id.empty()) {
    CK_ASSIGN_OR_RETURN(auto row, FindVersion(b, key, version_id));
    if (!row) return errors::MissingVersion(key, version_id);
    return std::move(row->rec);
  }
  CK_ASSIGN_OR_RETURN(auto cur, Current(b.name, key));
  if (cur) return std::move(*cur);
  if (b.versioned()) {
    CK_ASSIGN_OR_RETURN(auto newest, VersionsOf(b.name, key, 1));
    if (!newest.empty()) {
      CK_ASSIGN_OR_RETURN(auto rec, versions_.Decode(newest[0].key, newest[0].value));
      if (rec.delete_marker) return rec;  // the caller answers 404 with the marker's headers
    }
  }
  return errors::MissingKey(key);
}

Status ObjectStore::TryCommit(const BucketRecord& b, ObjectRecord& rec, const CommitConditions& cond,
                              std::vector<Segment>* released, bool use_hint) {
  const std::string okey = ObjectKey(b.name, rec.key);
  const bool unconditional =
      !cond.if_none_match_star && cond.if_match.empty() && !cond.key_seq && !cond.completes;
  LastCommitted::Row cur = use_hint && unconditional ? last_committed_.Find(okey) : nullptr;
  if (!cur) {
    CK_ASSIGN_OR_RETURN(auto loaded, Load(objects_, okey));
    if (loaded) cur = std::make_shared<const Stored<ObjectRecord>>(std::move(*loaded));
  }
  if (cond.if_none_match_star && cur) return errors::FailedCondition("If-None-Match");
  if (!cond.if_match.empty()) {
    if (!cur) return errors::MissingKey(rec.key);
    if (Unquote(cond.if_match) != cur->rec.etag) return errors::FailedCondition("If-Match");
  }
  bool conditional = cond.if_none_match_star || !cond.if_match.empty();
  if (conditional && cond.key_seq && *cond.key_seq != (cur ? cur->rec.seq : 0))
    return errors::ConditionalConflict(cond.if_match.empty() ? "If-None-Match" : "If-Match", rec.key);
  storage::WriteBatch batch;
  if (cur)
    batch.ExpectValue(kObjectsTable, okey, cur->raw);
  else
    batch.ExpectAbsent(kObjectsTable, okey);
  rec.seq = NextSeq();
  rec.version_id = b.versioning_enabled() ? NewVersionId(rec.seq) : "null";
  if (cond.blob_rows) batch.Append(*cond.blob_rows);
  if (!b.versioned()) {
    if (cur) {
      versions_.Delete(batch, VersionKey(b.name, rec.key, cur->rec.seq));
      *released = DropBlobsIn(batch, cur->rec.segments);
    }
  } else if (!b.versioning_enabled()) {
    // Suspended: the null version is replaced wherever it sits in the key's history.
    CK_ASSIGN_OR_RETURN(auto all, VersionsOf(b.name, rec.key, kAllVersions));
    for (const auto& r : all) {
      CK_ASSIGN_OR_RETURN(auto old, versions_.Decode(r.key, r.value));
      if (old.version_id != "null") continue;
      versions_.Delete(batch, r.key);
      released->insert(released->end(), old.segments.begin(), old.segments.end());
    }
  }
  // One encoding for both rows (and the hint).
  std::string raw = RecordTable<ObjectRecord>::Encode(rec);
  if (rec.delete_marker)
    objects_.Delete(batch, okey);
  else
    batch.Put(kObjectsTable, okey, raw);
  batch.Put(kVersionsTable, VersionKey(b.name, rec.key, rec.seq), raw);
  if (cond.completes) {
    batch.ExpectValue(kUploadsTable, cond.completes->row_key, cond.completes->raw);
    uploads_.Delete(batch, cond.completes->row_key);
    if (cond.parts)
      for (const auto& p : *cond.parts) parts_.Delete(batch, PartKey(cond.completes->rec.upload_id, p.number));
  }
  Status st = meta_.Apply(batch);
  Invalidate(okey);
  if (st.ok() && !rec.delete_marker)
    last_committed_.Remember(okey, std::make_shared<const Stored<ObjectRecord>>(
                                       Stored<ObjectRecord>{okey, std::move(raw), rec}));
  return st;
}

ObjectStore::LastCommitted::Row ObjectStore::LastCommitted::Find(const std::string& okey) {
  Shard& s = ShardOf(okey);
  std::lock_guard lock(s.mu);
  auto it = s.rows.find(okey);
  return it == s.rows.end() ? nullptr : it->second;
}

void ObjectStore::LastCommitted::Remember(const std::string& okey, Row row) {
  Shard& s = ShardOf(okey);
  std::lock_guard lock(s.mu);
  if (s.rows.size() >= kMaxPerShard && !s.rows.count(okey)) s.rows.clear();
  s.rows.insert_or_assign(okey, std::move(row));
}

void ObjectStore::LastCommitted::Forget(const std::string& okey) {
  Shard& s = ShardOf(okey);
  std::lock_guard lock(s.mu);
  s.rows.erase(okey);
}

Status ObjectStore::Commit(const BucketRecord& b, ObjectRecord& rec, const CommitConditions& cond) {
  for (int attempt = 0; attempt < kCommitAttempts; ++attempt) {
    std::vector<Segment> released;
    Status st = TryCommit(b, rec, cond, &released, /*use_hint=*/attempt == 0);
    if (storage::IsPreconditionFailure(st) && st.aws_code().empty()) {
      if (cond.completes) {
        CK_ASSIGN_OR_RETURN(auto still, meta_.Get(kUploadsTable, cond.completes->row_key));
        if (!still || *still != cond.completes->raw) return errors::MissingUpload(cond.completes->rec.upload_id);
      }
      continue;
    }
    CK_RETURN_IF_ERROR(st);
    Release(released);
    return Status::Ok();
  }
  return errors::Conflict();
}

Status ObjectStore::UpdateVersion(const BucketRecord& b, const std::string& key, const std::string& version_id,
                                  const std::function<void(ObjectRecord&)>& fn, ObjectRecord* out) {
  return UpdateVersionIf(
      b, key, version_id,
      [&](ObjectRecord& r) {
        fn(r);
        return Status::Ok();
      },
      out);
}

Status ObjectStore::UpdateVersionIf(const BucketRecord& b, const std::string& key, const std::string& version_id,
                                    const std::function<Status(ObjectRecord&)>& fn, ObjectRecord* out) {
  const std::string okey = ObjectKey(b.name, key);
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto cur, Load(objects_, okey));
    std::optional<Stored<ObjectRecord>> row;
    if (version_id.empty()) {
      if (!cur) return errors::MissingKey(key);
      std::string vk = VersionKey(b.name, key, cur->rec.seq);
      CK_ASSIGN_OR_RETURN(auto raw, meta_.Get(kVersionsTable, vk));
      row = Stored<ObjectRecord>{vk, raw.value_or(""), cur->rec};
    } else {
      CK_ASSIGN_OR_RETURN(row, FindVersion(b, key, version_id));
      if (!row) return errors::MissingVersion(key, version_id);
    }
    if (row->rec.delete_marker)
      return errors::MethodNotAllowed("The specified method is not allowed against this resource.");
    CK_RETURN_IF_ERROR(fn(row->rec));
    storage::WriteBatch batch;
    if (!row->raw.empty()) batch.ExpectValue(kVersionsTable, row->row_key, row->raw);
    versions_.Put(batch, row->row_key, row->rec);
    if (cur && cur->rec.seq == row->rec.seq) {
      batch.ExpectValue(kObjectsTable, okey, cur->raw);
      objects_.Put(batch, okey, row->rec);
    }
    Status st = meta_.Apply(batch);
    Invalidate(okey);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    if (out) *out = row->rec;
    return Status::Ok();
  }
  return errors::Conflict();
}

Status ObjectStore::DeleteUnversioned(const BucketRecord& b, const std::string& key) {
  const std::string okey = ObjectKey(b.name, key);
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto cur, Load(objects_, okey));
    if (!cur) return Status::Ok();
    storage::WriteBatch batch;
    batch.ExpectValue(kObjectsTable, okey, cur->raw);
    objects_.Delete(batch, okey);
    versions_.Delete(batch, VersionKey(b.name, key, cur->rec.seq));
    std::vector<Segment> after = DropBlobsIn(batch, cur->rec.segments);
    Status st = meta_.Apply(batch);
    Invalidate(okey);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    Release(after);
    return Status::Ok();
  }
  return errors::Conflict();
}

Result<std::optional<ObjectRecord>> ObjectStore::DeleteVersion(
    const BucketRecord& b, const std::string& key, const std::string& version_id,
    const std::function<Status(const ObjectRecord&)>& guard) {
  const std::string okey = ObjectKey(b.name, key);
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    bool invalid = false;
    CK_ASSIGN_OR_RETURN(auto row, FindVersion(b, key, version_id, &invalid));
    if (invalid) return errors::BadArgument("Invalid version id specified", "versionId", version_id);
    if (!row) return std::optional<ObjectRecord>();  // deleting a version that is not there succeeds
    if (guard) CK_RETURN_IF_ERROR(guard(row->rec));
    CK_ASSIGN_OR_RETURN(auto cur, Load(objects_, okey));
    storage::WriteBatch batch;
    batch.ExpectValue(kVersionsTable, row->row_key, row->raw);
    versions_.Delete(batch, row->row_key);
    if (cur)
      batch.ExpectValue(kObjectsTable, okey, cur->raw);
    else
      batch.ExpectAbsent(kObjectsTable, okey);
    // The current row follows the newest remaining version.
    CK_ASSIGN_OR_RETURN(auto newest, VersionsOf(b.name, key, 2));
    if (!newest.empty() && newest[0].key == row->row_key) {
      const storage::Record* next = newest.size() > 1 ? &newest[1] : nullptr;
      std::optional<ObjectRecord> next_rec;
      if (next) {
        CK_ASSIGN_OR_RETURN(auto n, versions_.Decode(next->key, next->value));
        if (!n.delete_marker) next_rec = std::move(n);
      }
      if (next_rec)
        batch.Put(kObjectsTable, okey, next->value);
      else
        objects_.Delete(batch, okey);
    }
    std::vector<Segment> after = DropBlobsIn(batch, row->rec.segments);
    Status st = meta_.Apply(batch);
    Invalidate(okey);
    if (storage::IsPreconditionFailure(st)) continue;
    CK_RETURN_IF_ERROR(st);
    Release(after);
    return std::optional<ObjectRecord>(std::move(row->rec));
  }
  return errors::Conflict();
}

// --- Listing ---

Result<std::vector<ListedRow>> ObjectStore::Scan(const std::string& table, const std::string& bucket,
                                                 const std::string& prefix, const ListFrom& from, size_t limit,
                                                 bool versions, bool uploads) {
  std::vector<ListedRow> out;
  if (from.at_end()) return out;
  storage::ScanOptions opts{
      .prefix = ObjectPrefix(bucket, prefix), .start_after = from.after_, .start_at = from.at_, .limit = limit};
  CK_ASSIGN_OR_RETURN(auto rows, meta_.Scan(table, opts));
  out.reserve(rows.size());
  for (auto& r : rows) {
    ListedRow row;
    if (!DecodeObjectKey(r.key, &row.key, versions ? &row.seq : nullptr, uploads ? &row.upload_id : nullptr)) continue;
    row.row_key = std::move(r.key);
    row.value = std::move(r.value);
    out.push_back(std::move(row));
  }
  return out;
}

Result<std::vector<ListedRow>> ObjectStore::ListCurrent(const std::string& bucket, const std::string& prefix,
                                                        const ListFrom& from, size_t limit) {
  return Scan(kObjectsTable, bucket, prefix, from, limit, false, false);
}

Result<std::vector<ListedRow>> ObjectStore::ListVersions(const std::string& bucket, const std::string& prefix,
                                                         const ListFrom& from, size_t limit) {
  return Scan(kVersionsTable, bucket, prefix, from, limit, true, false);
}

Result<std::vector<ListedRow>> ObjectStore::ListUploads(const std::string& bucket, const std::string& prefix,
                                                        const ListFrom& from, size_t limit) {
  return Scan(kUploadsTable, bucket, prefix, from, limit, false, true);
}

Result<ListFrom> ObjectStore::AfterVersionId(const std::string& bucket, const std::string& key,
                                             const std::string& version_id) {
  if (version_id != "null") return ListFrom::AfterVersion(bucket, key, SeqOfVersionId(version_id).value_or(0));
  CK_ASSIGN_OR_RETURN(auto all, VersionsOf(bucket, key, kAllVersions));
  ListFrom from;
  for (const auto& r : all) {
    auto rec = versions_.Decode(r.key, r.value);
    if (rec.ok() && rec->version_id == "null") from.after_ = r.key;
  }
  if (from.after_.empty()) return ListFrom::PastPrefix(bucket, key);
  return from;
}

Result<ObjectRecord> ObjectStore::DecodeObject(const ListedRow& row) const {
  return objects_.Decode(row.row_key, row.value);
}

Result<UploadRecord> ObjectStore::DecodeUpload(const ListedRow& row) const {
  return uploads_.Decode(row.row_key, row.value);
}

// --- Multipart uploads ---

Status ObjectStore::CreateUpload(const std::string& bucket, const UploadRecord& u) {
  std::string k = UploadKey(bucket, u.key, u.upload_id);
  storage::WriteBatch batch;
  batch.ExpectAbsent(kUploadsTable, k);
  uploads_.Put(batch, k, u);
  return meta_.Apply(batch);
}

Result<OpenUpload> ObjectStore::Upload(const std::string& bucket, const std::string& key,
                                       const std::string& upload_id) {
  CK_ASSIGN_OR_RETURN(auto u, Load(uploads_, UploadKey(bucket, key, upload_id)));
  if (!u) return errors::MissingUpload(upload_id);
  return std::move(*u);
}

Result<std::vector<PartRecord>> ObjectStore::Parts(const std::string& upload_id) {
  return PartsAfter(upload_id, 0, kAllParts);
}

Result<std::vector<PartRecord>> ObjectStore::PartsAfter(const std::string& upload_id, int after, size_t limit) {
  storage::ScanOptions opts{.prefix = PartsPrefix(upload_id), .limit = limit};
  if (after > 0) opts.start_after = PartKey(upload_id, after);
  CK_ASSIGN_OR_RETURN(auto rows, meta_.Scan(kPartsTable, opts));
  std::vector<PartRecord> out;
  for (const auto& r : rows) {
    CK_ASSIGN_OR_RETURN(auto p, parts_.Decode(r.key, r.value));
    out.push_back(std::move(p));
  }
  return out;
}

Status ObjectStore::StorePart(const OpenUpload& u, const PartRecord& part) {
  std::string pk = PartKey(u.rec.upload_id, part.number);
  for (int attempt = 0; attempt < kCasAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(auto old, Load(parts_, pk));
    storage::WriteBatch batch;
    batch.ExpectValue(kUploadsTable, u.row_key, u.raw);
    if (old)
      batch.ExpectValue(kPartsTable, pk, old->raw);
    else
      batch.ExpectAbsent(kPartsTable, pk);
    parts_.Put(batch, pk, part);
    Status st = meta_.Apply(batch);
    if (storage::IsPreconditionFailure(st)) {
      CK_ASSIGN_OR_RETURN(auto still, meta_.Get(kUploadsTable, u.row_key));
      if (!still) return errors::MissingUpload(u.rec.upload_id);
      continue;
    }
    CK_RETURN_IF_ERROR(st);
    if (old) Release({old->rec.segment});
    return Status::Ok();
  }
  return errors::Conflict();
}

Status ObjectStore::AbortUpload(const OpenUpload& u) {
  CK_ASSIGN_OR_RETURN(auto parts, Parts(u.rec.upload_id));
  storage::WriteBatch batch;
  batch.ExpectValue(kUploadsTable, u.row_key, u.raw);
  uploads_.Delete(batch, u.row_key);
  for (const auto& p : parts) parts_.Delete(batch, PartKey(u.rec.upload_id, p.number));
  Status st = meta_.Apply(batch);
  if (storage::IsPreconditionFailure(st)) return errors::MissingUpload(u.rec.upload_id);
  CK_RETURN_IF_ERROR(st);
  std::vector<Segment> segs;
  for (const auto& p : parts) segs.push_back(p.segment);
  Release(segs);
  return Status::Ok();
}

// --- Blobs ---

Result<std::unique_ptr<ObjectWriter>> ObjectStore::NewWriter(std::optional<crypto::ChecksumAlgorithm> checksum,
                                                             ObjectKeysPtr keys, bool crc64nvme, bool md5) {
  return ObjectWriter::Create(blobs_, checksum, MakeSealer(std::move(keys)), crc64nvme, md5);
}

Result<std::unique_ptr<ObjectReader>> ObjectStore::NewReader(const ObjectRecord& rec, ObjectKeysPtr keys,
                                                             uint64_t start, uint64_t end) {
  auto reader = std::make_unique<ObjectReader>(blobs_, std::move(keys), rec.segments, start, end);
  CK_RETURN_IF_ERROR(reader->Prepare());
  return reader;
}

Result<WrittenSegment> ObjectStore::Copy(const ObjectRecord& src, const ObjectKeysPtr& src_keys, uint64_t start,
                                         uint64_t end, std::optional<crypto::ChecksumAlgorithm> checksum,
                                         ObjectKeysPtr dst_keys, bool crc64nvme) {
  ObjectReader reader(blobs_, src_keys, src.segments, start, end);
  CK_ASSIGN_OR_RETURN(auto writer, NewWriter(checksum, std::move(dst_keys), crc64nvme));
  std::string buf(1 << 20, '\0');
  for (;;) {
    CK_ASSIGN_OR_RETURN(size_t n, reader.Read(buf.data(), buf.size()));
    if (n == 0) break;
    CK_RETURN_IF_ERROR(writer->Append(std::string_view(buf.data(), n)));
  }
  return writer->Commit();
}

std::vector<Segment> ObjectStore::DropBlobsIn(storage::WriteBatch& batch, const std::vector<Segment>& segments) {
  std::vector<Segment> after;
  for (const auto& seg : segments)
    if (!seg.blob.empty() && !blobs_.DeleteInto(batch, seg.blob)) after.push_back(seg);
  return after;
}

void ObjectStore::Release(const std::vector<Segment>& segments) {
  for (const auto& seg : segments) {
    if (seg.blob.empty()) continue;
    Status st = blobs_.Delete(seg.blob);
    (void)st;  // an already-missing blob is fine; orphans are collected by ForEach sweeps
  }
}

}  // namespace ck::services::s3
