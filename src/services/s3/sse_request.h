// What a request asks for in server-side encryption, validated as S3 does:
// the per-request SSE members of PutObject / CopyObject /
// CreateMultipartUpload, the SSE-C key members (object and copy source), the
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

#include "api/s3.h"
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

// The SSE members of a write request, as decoded (the same members on
// PutObject, CopyObject and CreateMultipartUpload).
struct SseWriteMembers {
  std::optional<EnumValue<api::s3::ServerSideEncryption>> algorithm;  // x-amz-server-side-encryption
  std::optional<std::string> key_id;                                  // ...-aws-kms-key-id
  std::optional<std::string> context;                                 // ...-context (base64 JSON)
  std::optional<bool> bucket_key;                                     // ...-bucket-key-enabled
  std::optional<std::string> customer_algorithm, customer_key, customer_key_md5;
};
template <class In>
SseWriteMembers SseMembersOf(const In& in) {
  return SseWriteMembers{in.server_side_encryption, in.ssekms_key_id,          in.ssekms_encryption_context,
                         in.bucket_key_enabled,     in.sse_customer_algorithm, in.sse_customer_key,
                         in.sse_customer_key_md5};
}

// An SSE-C trio and the header prefix it came under ("x-amz-server-side-encryption-customer-"
// or "x-amz-copy-source-server-side-encryption-customer-"), which S3's errors name.
struct CustomerKeyMembers {
  std::optional<std::string> algorithm, key, key_md5;
  std::string prefix;
};
inline constexpr char kCustomerKeyPrefix[] = "x-amz-server-side-encryption-customer-";
inline constexpr char kCopySourceCustomerKeyPrefix[] = "x-amz-copy-source-server-side-encryption-customer-";
template <class In>
CustomerKeyMembers CustomerKeyOf(const In& in) {
  return CustomerKeyMembers{in.sse_customer_algorithm, in.sse_customer_key, in.sse_customer_key_md5,
                            kCustomerKeyPrefix};
}
template <class In>
CustomerKeyMembers CopySourceCustomerKeyOf(const In& in) {
  return CustomerKeyMembers{in.copy_source_sse_customer_algorithm, in.copy_source_sse_customer_key,
                            in.copy_source_sse_customer_key_md5, kCopySourceCustomerKeyPrefix};
}

struct SseRequestHeaders {
  std::string algorithm;                                      // x-amz-server-side-encryption ("" = absent)
  std::optional<std::string> key_ref;                         // x-amz-server-side-encryption-aws-kms-key-id
  std::optional<std::map<std::string, std::string>> context;  // decoded x-amz-server-side-encryption-context
  std::optional<bool> bucket_key;                             // x-amz-server-side-encryption-bucket-key-enabled
  std::optional<CustomerKey> customer;                        // SSE-C trio
};

// Parses and checks the SSE members of a write. `require_key_arns`: refuse key
// ids and alias names (--require-key-arns).
Result<SseRequestHeaders> ParseWriteSse(const SseWriteMembers& m, bool require_key_arns);

// The SSE-C trio; nullopt when absent. `reading`: the key of a read (GET,
// HEAD, a copy's source), where a key of the wrong length is a wrong key.
Result<std::optional<CustomerKey>> ParseCustomerKey(const CustomerKeyMembers& m, bool reading = false);

// GET/HEAD may carry only the SSE-C trio; the other SSE headers (which their
// models do not have) → 400.
Status RejectSseOnRead(const http::Headers& h);

// The bucket's default rule (first Rule of ServerSideEncryptionConfiguration);
// S3's AES256 when never configured.
struct BucketDefault {
  std::string algorithm = kSseS3;
  std::optional<std::string> key_ref;
  bool bucket_key = false;
  bool sse_c_blocked = false;
};
BucketDefault ReadBucketDefault(const std::optional<api::s3::ServerSideEncryptionConfiguration>& config);

// Validates a PutBucketEncryption configuration with S3's errors; the stored
// form is the configuration itself (echoed verbatim).
Status ValidateBucketEncryption(const api::s3::ServerSideEncryptionConfiguration& config, bool require_key_arns);

// What a write will do.
struct SseChoice {
  std::string algorithm;          // AES256 | aws:kms | aws:kms:dsse | SSE-C
  std::string key_ref;            // KMS: as handed to KMS (request, bucket default, or alias/aws/s3)
  bool key_ref_explicit = false;  // came from the request or the bucket config (not the implicit aws/s3)
  bool bucket_key = false;        // SSE-KMS only (not DSSE)
  std::map<std::string, std::string> user_context;  // extra pairs from the request
  std::string context_header;                       // the request's header, echoed on the write response
  std::optional<CustomerKey> customer;
};
Result<SseChoice> ChooseSse(const SseRequestHeaders& req, const BucketDefault& bucket);

// True for key ids, alias names and anything but an ARN: KMS resolves these in
// the caller's account.
bool IsUnqualifiedKeyRef(const std::string& ref);

}  // namespace ck::services::s3
