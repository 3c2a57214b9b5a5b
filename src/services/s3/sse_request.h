// What a request asks for in server-side encryption, validated as S3 does:
// the per-request SSE headers of PutObject / CopyObject /
// CreateMultipartUpload, the SSE-C key headers (object and copy source), the
// SSE headers S3 refuses on GET/HEAD, and the bucket default configuration
// (PutBucketEncryption). Then the choice S3 makes from them: request headers
// win over the bucket default, the bucket default over S3's AES256, and a
// missing key reference for aws:kms means "alias/aws/s3" — handed to KMS
// unchanged so it resolves in the requester's account (AWS-SEMANTICS §2.2,
// §2.5, §2.6).
//
// Thread safety: pure functions over their arguments.
#pragma once

#include <map>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "http/message.h"

namespace ck::services::s3 {

inline constexpr char kSseS3[] = "AES256";
inline constexpr char kSseKms[] = "aws:kms";
inline constexpr char kSseDsse[] = "aws:kms:dsse";
inline constexpr char kSseC[] = "SSE-C";  // our stored name; S3 shows the customer-* headers instead
inline constexpr char kAwsManagedS3Key[] = "alias/aws/s3";

struct CustomerKey {
  std::string key;      // 32 raw bytes: used, never stored
  std::string key_md5;  // base64 of MD5(key), as the client sent it
};

struct SseRequestHeaders {
  std::string algorithm;                   // x-amz-server-side-encryption ("" = absent)
  std::optional<std::string> key_ref;      // x-amz-server-side-encryption-aws-kms-key-id
  std::optional<std::map<std::string, std::string>> context;  // decoded x-amz-server-side-encryption-context
  std::optional<bool> bucket_key;          // x-amz-server-side-encryption-bucket-key-enabled
  std::optional<CustomerKey> customer;     // SSE-C trio
};

// Parses and checks the SSE headers of a write. `require_key_arns`: refuse key
// ids and alias names (--require-key-arns).
Result<SseRequestHeaders> ParseWriteSse(const http::Headers& h, bool require_key_arns);

// The SSE-C trio under `prefix` ("x-amz-server-side-encryption-customer-" or
// "x-amz-copy-source-server-side-encryption-customer-"); nullopt when absent.
Result<std::optional<CustomerKey>> ParseCustomerKey(const http::Headers& h, const std::string& prefix);

// GET/HEAD may carry only the SSE-C trio; the other SSE headers → 400.
Status RejectSseOnRead(const http::Headers& h);

// The bucket's default rule (first Rule of ServerSideEncryptionConfiguration);
// S3's AES256 when never configured.
struct BucketDefault {
  std::string algorithm = kSseS3;
  std::optional<std::string> key_ref;
  bool bucket_key = false;
  bool sse_c_blocked = false;
};
BucketDefault ReadBucketDefault(const std::optional<nlohmann::json>& config);

// Validates a PutBucketEncryption document (as decoded from XML) with S3's
// errors; the stored form is the document itself (echoed verbatim).
Status ValidateBucketEncryption(const nlohmann::json& config, bool require_key_arns);

// What a write will do.
struct SseChoice {
  std::string algorithm;             // AES256 | aws:kms | aws:kms:dsse | SSE-C
  std::string key_ref;               // KMS: as handed to KMS (request, bucket default, or alias/aws/s3)
  bool key_ref_explicit = false;     // came from the request or the bucket config (not the implicit aws/s3)
  bool bucket_key = false;           // SSE-KMS only (not DSSE)
  std::map<std::string, std::string> user_context;  // extra pairs from the request
  std::string context_header;        // the request's header, echoed on the write response
  std::optional<CustomerKey> customer;
};
Result<SseChoice> ChooseSse(const SseRequestHeaders& req, const BucketDefault& bucket);

// True for key ids, alias names and anything but an ARN: KMS resolves these in
// the caller's account.
bool IsUnqualifiedKeyRef(const std::string& ref);

}  // namespace ck::services::s3
