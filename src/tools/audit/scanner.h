// ObjectScanner: every object version of a bucket, HEADed concurrently with
// a bound, resumable from a checkpoint file, with progress on stderr.
//
// One thread lists (ListObjectVersions, 1000 a page) into a bounded queue;
// `concurrency` workers HEAD each version and keep only the versions the
// caller's filter selects, so memory is bounded by the page size, the queue
// and the selected versions, not by the bucket. The checkpoint records the
// listing position up to which every version has been HEADed, and the
// versions selected so far; a restarted scan resumes there.
//
// Thread safety: one Scan at a time per scanner.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "client/aws_client.h"
#include "core/audit/analysis.h"

namespace ck::tools::audit {

// The audit's judgements live in core (the console's admin API uses them too).
using core::audit::AccountOf;
using core::audit::BucketDefault;
using core::audit::Classify;
using core::audit::ClassifyRef;
using core::audit::ExplainWriterMode;
using core::audit::Finding;
using core::audit::FindingKind;
using core::audit::FindingName;
using core::audit::ForeignWriters;
using core::audit::KeyFacts;
using core::audit::ModeForWriter;
using core::audit::ObjectFacts;
using core::audit::PolicyLetsAccountDecrypt;
using core::audit::Qualified;
using core::audit::RefKind;
using core::audit::RefKindName;
using core::audit::Resolves;
using core::audit::Writer;
using core::audit::WriterMode;
using core::audit::WriterModeName;

struct ScanOptions {
  int concurrency = 16;
  std::string checkpoint_file;  // empty: not resumable
  bool progress = false;        // a progress line on stderr
  bool progress_bar = false;    // a redrawn bar (terminal) instead of plain lines
};

struct ScanResult {
  uint64_t scanned = 0;
  std::vector<ObjectFacts> selected;
};

class ObjectScanner {
 public:
  ObjectScanner(client::AwsClient& s3, ScanOptions options) : s3_(s3), options_(std::move(options)) {}

  // `keep` decides which HEADed versions are returned.
  Result<ScanResult> Scan(const std::string& bucket, const std::function<bool(const ObjectFacts&)>& keep);

 private:
  client::AwsClient& s3_;
  ScanOptions options_;
};

}  // namespace ck::tools::audit
