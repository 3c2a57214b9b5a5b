// KmsClient: how S3, Secrets Manager and DynamoDB call KMS in-process.
//
// A call carries the ORIGINAL caller (AWS's forward access sessions): key
// references resolve in that principal's account and region, the key policy
// and the principal's IAM policies are evaluated with kms:ViaService and
// aws:CalledVia set, and the CloudTrail event names the principal with
// invokedBy. Nothing bypasses resolution, authorization or event recording:
// KmsEngine (kms_engine.h) implements this interface with the same checks as
// the JSON API, which reaches it with via_service empty.
//
// Errors are Statuses from KMS's catalogue (errors.h): code() is the
// canonical code to dispatch on (kNotFound, kPermissionDenied,
// kFailedPrecondition for a key in the wrong state, ...); aws_code() is KMS's
// exception name ("NotFoundException", "DisabledException", ...) and
// message() KMS's text, so S3 can answer "KMS." + aws_code() verbatim.
//
// Thread safety: implementations are safe for concurrent use.
#pragma once

#include <map>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/principal.h"
#include "services/service.h"

namespace ck::services::kms {

struct KmsCaller {
  Principal principal;         // the end user (not the calling service)
  std::string region;          // region of the KMS endpoint (the bucket's / table's region)
  std::string via_service;     // "s3.us-east-1.amazonaws.com"; empty for direct calls
  std::string invoked_by;      // "s3.amazonaws.com"; empty for direct calls
  std::string source_ip;       // the end user's address (direct calls)
  std::string user_agent;      // direct calls
  std::string request_id;      // the outer request's id, for the event
  bool secure_transport = false;
};

// The caller for a service (S3, DynamoDB, Secrets Manager) calling KMS on
// behalf of the request's principal: a forward access session through
// "SERVICE.REGION.amazonaws.com", invoked by "SERVICE.amazonaws.com".
inline KmsCaller ForwardAccessCaller(const RequestContext& ctx, std::string_view service, const std::string& region) {
  KmsCaller c;
  c.principal = ctx.principal;
  c.region = region;
  c.via_service = std::string(service) + "." + region + ".amazonaws.com";
  c.invoked_by = std::string(service) + ".amazonaws.com";
  c.source_ip = ctx.source_ip;
  c.request_id = ctx.request_id;
  c.secure_transport = ctx.secure_transport;
  return c;
}

using KmsEncryptionContext = std::map<std::string, std::string>;

struct KmsDataKey {
  std::string plaintext;        // raw bytes (32 for AES_256)
  std::string ciphertext_blob;  // raw bytes; store it, hand it to Decrypt later
  std::string key_arn;          // the key that was used (aliases resolved)
};

struct KmsDecrypted {
  std::string plaintext;
  std::string key_arn;
};

struct KmsEncrypted {
  std::string ciphertext_blob;  // raw bytes
  std::string key_arn;
};

struct KmsKeyDescription {
  std::string key_arn, key_id, account, region;
  std::string key_state;    // "Enabled", "Disabled", "PendingDeletion", "PendingImport"
  std::string key_manager;  // "CUSTOMER" | "AWS"
  std::string key_spec, key_usage;
};

class KmsClient {
 public:
  virtual ~KmsClient() = default;

  // GenerateDataKey with KeySpec AES_256 (or NumberOfBytes when number_of_bytes != 32).
  virtual Result<KmsDataKey> GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                             const KmsCaller& caller, int number_of_bytes = 32) = 0;
  // Decrypt without KeyId: the blob names its key.
  virtual Result<KmsDecrypted> Decrypt(std::string_view ciphertext_blob, const KmsEncryptionContext& context,
                                       const KmsCaller& caller) = 0;
  // DescribeKey (creates AWS managed keys for alias/aws/... on first use, as AWS does).
  virtual Result<KmsKeyDescription> DescribeKey(std::string_view key_ref, const KmsCaller& caller) = 0;
  // Encrypt with the key's default algorithm (DynamoDB re-wraps a table key under a new KMS key).
  virtual Result<KmsEncrypted> Encrypt(std::string_view key_ref, std::string_view plaintext,
                                       const KmsEncryptionContext& context, const KmsCaller& caller) = 0;
};

}  // namespace ck::services::kms

// The calling services know these by their unqualified names.
namespace ck::services {
using kms::ForwardAccessCaller;
using kms::KmsCaller;
using kms::KmsClient;
using kms::KmsDataKey;
using kms::KmsDecrypted;
using kms::KmsEncrypted;
using kms::KmsEncryptionContext;
using kms::KmsKeyDescription;
}  // namespace ck::services
