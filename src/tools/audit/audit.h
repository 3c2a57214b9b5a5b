// crosskey audit: which objects got the wrong account's key, who cannot read
// them, and why (the seed's quiet failure, AWS-SEMANTICS §2.5-2.6).
//
// For each bucket, as its owner: default encryption as written and what it
// resolves to for the owner; the writers the bucket policy admits and, for
// each other account the audit can look into (--assume ROLE_ARN), what the
// reference resolves to there (which failure mode applies); then every object
// version (HeadObject), reporting those under another account's key (customer
// or aws/s3), under SSE-S3 where KMS is the default, or under SSE-C, with
// whether the owner can decrypt them and who wrote them. It is an AWS API
// client: it works against crosskey and against real AWS alike.
//
// Thread safety: one Run at a time.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "client/session.h"
#include "core/audit/analysis.h"
#include "tools/audit/scanner.h"

namespace ck::tools::audit {

struct WriterReport {
  Writer writer;
  Resolves resolves = Resolves::kUnknown;
  std::string resolved_key;  // in the writer's account, when seen
  WriterMode mode = WriterMode::kUnknown;
  std::string explanation;
};

struct ObjectFinding {
  ObjectFacts object;
  Finding finding;
  std::string writer;  // the principal from the writer's CloudTrail, else "account N (the key's account)"
};

struct BucketReport {
  std::string bucket, owner_account, region;
  BucketDefault encryption;
  RefKind ref_kind = RefKind::kNone;
  std::string intended_key;  // the owner's resolved key ARN ("" when not KMS or unresolved)
  std::string owner_note;    // how the owner's resolution went
  std::vector<WriterReport> writers;
  uint64_t versions_scanned = 0;
  std::vector<ObjectFinding> findings;
  std::string error;  // the bucket could not be audited
};

struct AuditOptions {
  std::vector<std::string> buckets;  // empty: every bucket the owner has
  ScanOptions scan;
};

class Auditor {
 public:
  // `owner`: the bucket owner's session; `views`: sessions in other accounts
  // (by account id) to look from the writers' side.
  Auditor(std::shared_ptr<client::Session> owner, std::map<std::string, std::shared_ptr<client::Session>> views,
          AuditOptions options);

  Result<std::vector<BucketReport>> Run();
  Result<BucketReport> AuditBucket(const std::string& bucket);

 private:
  Status LoadOwner();
  Result<BucketDefault> Encryption(const std::string& bucket);
  void ResolveForOwner(BucketReport& r);
  void AnalyseWriters(BucketReport& r);
  Result<std::string> ResolveIn(client::Session& s, const std::string& ref, Resolves* how);
  KeyFacts FactsOf(const std::string& key_arn);
  std::map<std::string, std::string> WritersFromTrail(const std::string& account, const std::string& bucket);
  client::Session* ViewOf(const std::string& account);

  std::shared_ptr<client::Session> owner_;
  std::map<std::string, std::shared_ptr<client::Session>> views_;
  AuditOptions options_;
  std::string owner_account_;
  std::map<std::string, KeyFacts> key_facts_;
};

}  // namespace ck::tools::audit
