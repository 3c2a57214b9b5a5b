// SseKeys: the data keys of encrypted objects, obtained as AWS S3 obtains
// them (docs/crypto-scheme.md, AWS-SEMANTICS §2):
//   SSE-S3    a random DK per object, stored wrapped under the server master key;
//   SSE-KMS   KMS GenerateDataKey on writes and Decrypt on reads, called
//             in-process AS THE REQUESTER (forward access session: via
//             s3.REGION.amazonaws.com, invokedBy s3.amazonaws.com), with the
//             key reference handed to KMS unchanged and the encryption
//             context {"aws:s3:arn": object ARN} plus the request's pairs;
//   +bucket key  one GenerateDataKey per (bucket, key reference, requester,
//             context), context {"aws:s3:arn": bucket ARN}, reused for a
//             bounded time and object count; each blob derives its key;
//   DSSE-KMS  two data keys, two layers;
//   SSE-C     a random DK wrapped under the customer's key (never stored),
//             with an HMAC of that key to tell a wrong key apart.
// KMS errors become S3's (errors::FromKms): "KMS." + exception name (400)
// with KMS's message, a denial → 403 AccessDenied with KMS's text.
//
// Also the seed case's warning: an unqualified key reference (key id or
// alias name) used by a requester from another account than the bucket
// owner's resolves in the requester's account. That is logged, counted, and
// (with --diagnostic-headers) returned as x-crosskey-warning.
//
// Thread safety: safe for concurrent use (the bucket-key cache is locked).
#pragma once

#include <atomic>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "base/clock.h"
#include "base/status.h"
#include "services/kms/kms_client.h"
#include "services/s3/records.h"
#include "services/s3/sealed_blob.h"
#include "services/s3/sse_request.h"
#include "services/service.h"

namespace ck::services::s3 {

struct SseOptions {
  KmsClient* kms = nullptr;         // null: SSE-KMS requests fail with an internal error
  std::string master_key;           // 32 bytes wrapping SSE-S3 data keys; empty = random per process
  bool diagnostic_headers = false;  // add x-crosskey-warning to responses
  bool require_key_arns = false;    // refuse key ids and alias names
  std::atomic<uint64_t>* foreign_key_resolutions = nullptr;  // warning counter (/_crosskey/health)
  std::chrono::seconds bucket_key_ttl{300};
  uint64_t bucket_key_max_objects = 10000;
};

// Who is asking, for KMS (the end user, in the bucket's region).
struct SseCaller {
  const RequestContext* ctx = nullptr;
  std::string bucket_region;
};

struct SseWrite {
  StoredSse stored;     // ObjectRecord::encryption / UploadRecord::encryption
  ObjectKeysPtr keys;   // null only for a record without encryption
  std::string warning;  // non-empty: an unqualified key reference resolved in a foreign account
};

class SseKeys {
 public:
  SseKeys(SseOptions options, const Clock& clock);

  const SseOptions& options() const { return options_; }

  // New keys for an object (or upload) `key` in bucket `b`, written under `choice`.
  // On a KMS failure `warning` (if given) still receives the cross-account warning.
  Result<SseWrite> ForWrite(const SseChoice& choice, const BucketRecord& b, const std::string& key,
                            const SseCaller& caller, std::string* warning = nullptr);
  // The keys of a stored object or upload (KMS Decrypt as the reader).
  // `customer`: the request's SSE-C key (required for SSE-C objects, refused for others).
  Result<ObjectKeysPtr> ForRead(const std::optional<StoredSse>& stored, const SseCaller& caller,
                                const std::optional<CustomerKey>& customer);
  // SSE-C checks without unwrapping (HEAD): the key must be present and right.
  static Status CheckCustomer(const std::optional<StoredSse>& stored, const std::optional<CustomerKey>& customer);

 private:
  struct BucketKeyEntry {
    std::string key, blob, arn;
    TimePoint expires;
    uint64_t uses = 0;
  };
  Result<KmsDataKey> GenerateBucketKey(const std::string& cache_key, const std::string& ref,
                                       const KmsEncryptionContext& context, const KmsCaller& caller);
  KmsCaller CallerFor(const SseCaller& c) const;
  // SSE-S3 and SSE-C: a random data key wrapped under the master or the customer's key.
  SseWrite ForWriteLocal(const SseChoice& choice) const;
  // The seed case's warning (logged and counted), or "".
  std::string ForeignKeyWarning(const SseChoice& choice, const BucketRecord& b, const std::string& key,
                                const Principal& p) const;
  Status GenerateKmsKeys(const SseChoice& choice, const BucketRecord& b, const KmsEncryptionContext& ctx,
                         bool bucket_key, const SseCaller& caller, SseWrite* w, ObjectKeys* keys);

  SseOptions options_;
  const Clock& clock_;
  std::mutex mu_;
  std::unordered_map<std::string, BucketKeyEntry> bucket_keys_;
};

// The SSE members an object response shows (ServerSideEncryption,
// SSEKMSKeyId, BucketKeyEnabled, SSECustomerAlgorithm/KeyMD5, and on a write
// response that has it the request's encryption context).
struct SseDescription {
  std::optional<EnumValue<api::s3::ServerSideEncryption>> server_side_encryption;
  std::optional<std::string> customer_algorithm, customer_key_md5, kms_key_id, encryption_context;
  std::optional<bool> bucket_key_enabled;
};
SseDescription DescribeSse(const std::optional<StoredSse>& stored, bool write = false);
// Sets those members on an output shape (PutObjectOutput, GetObjectOutput, ...).
template <class Out>
void SetSse(const SseDescription& d, Out* out) {
  out->server_side_encryption = d.server_side_encryption;
  if constexpr (requires { out->sse_customer_algorithm; }) {
    out->sse_customer_algorithm = d.customer_algorithm;
    out->sse_customer_key_md5 = d.customer_key_md5;
  }
  out->ssekms_key_id = d.kms_key_id;
  out->bucket_key_enabled = d.bucket_key_enabled;
  if constexpr (requires { out->ssekms_encryption_context; }) out->ssekms_encryption_context = d.encryption_context;
}
// Whether the stored encryption makes the ETag something other than the MD5 (SSE-KMS, DSSE, SSE-C).
bool EtagIsNotMd5(const std::optional<StoredSse>& stored);

}  // namespace ck::services::s3
