// crosskey fix: re-encrypts the objects an audit found, in place, under the
// bucket owner's intended key ARN.
//
// Each object is copied onto itself (CopyObject, x-amz-metadata-directive
// COPY and x-amz-tagging-directive COPY, so metadata, content headers and
// tags stay; storage class, checksum algorithm and Object Lock settings are
// carried over explicitly; the copy is conditional on the ETag the fixer saw,
// so a concurrent overwrite is never clobbered). Objects larger than the
// multipart threshold (5 GiB, S3's CopyObject limit) are copied in parts
// (UploadPartCopy) with metadata and tags re-applied. In a versioned bucket
// the copy becomes the new current version and history stays; only current
// versions are re-encrypted. Objects the fixer cannot read (SSE-C, or no
// kms:Decrypt on the writer's key) are reported and never touched.
//
// Dry run unless `apply`. A journal (JSON lines) records every object done or
// refused, so an interrupted run resumes without doing an object twice.
// After applying, every touched object is checked again (HeadObject).
//
// Thread safety: one Run at a time.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "client/session.h"
#include "tools/audit/audit.h"

namespace ck::tools::audit {

struct FixOptions {
  bool apply = false;
  std::string journal_file;    // empty: no journal
  std::string key_override;    // re-encrypt under this key ARN instead of the bucket's intended key
  int concurrency = 8;
  uint64_t multipart_threshold = 5ULL * 1024 * 1024 * 1024;
  uint64_t part_size = 512ULL * 1024 * 1024;
};

enum class FixOutcome { kPlanned, kFixed, kAlreadyDone, kUnreadable, kSkipped, kFailed, kVerifyFailed };
std::string_view FixOutcomeName(FixOutcome o);

struct FixResult {
  std::string bucket, key, version_id;
  FixOutcome outcome = FixOutcome::kPlanned;
  std::string target_key;       // the key ARN it was (or would be) re-encrypted under
  std::string new_version_id;
  std::string detail;           // why skipped/failed
};

class Fixer {
 public:
  Fixer(std::shared_ptr<client::Session> owner, FixOptions options);
  Result<std::vector<FixResult>> Run(const std::vector<BucketReport>& audit);

 private:
  FixResult FixOne(const BucketReport& bucket, const ObjectFinding& f, const std::string& target);
  Result<std::string> CopyInPlace(const BucketReport& bucket, const ObjectFinding& f, const std::string& target);
  Result<std::string> CopyInParts(const BucketReport& bucket, const ObjectFinding& f, const std::string& target,
                                  uint64_t size);
  void Verify(FixResult& r);

  std::shared_ptr<client::Session> owner_;
  FixOptions options_;
};

std::string RenderFixText(const std::vector<FixResult>& results, bool apply);
std::string RenderFixJson(const std::vector<FixResult>& results);

}  // namespace ck::tools::audit
