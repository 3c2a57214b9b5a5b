// The audit's judgements, as pure functions over what the AWS APIs answered:
// how a bucket's default-encryption key reference resolves for the owner and
// for each writer the bucket policy admits (the seed's two failure modes), and
// what is wrong with one object's encryption.
//
// AWS-SEMANTICS §2.5/§2.6: S3 resolves a key id, alias name or `aws:kms`
// without a key in the REQUESTER's account, on every PutObject. So for a
// writer in another account an unqualified reference either fails (the alias
// or key is missing there: KMS.NotFoundException) or silently encrypts with
// the writer's own key (the bucket owner then cannot read the object).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/fields.h"
#include "core/iam/policy_document.h"

namespace ck::core::audit {

enum class RefKind { kNone, kKeyArn, kAliasArn, kKeyId, kAliasName, kInvalid };
RefKind ClassifyRef(std::string_view ref);
bool Qualified(RefKind kind);  // ARNs: the same key whoever writes
std::string_view RefKindName(RefKind kind);

// The bucket's default encryption as GetBucketEncryption answers it.
struct BucketDefault {
  std::string algorithm = "AES256";  // "AES256", "aws:kms", "aws:kms:dsse"
  std::string key_ref;               // KMSMasterKeyID as written ("" = none)
  bool bucket_key = false;
  bool kms() const { return algorithm == "aws:kms" || algorithm == "aws:kms:dsse"; }
};

// A principal the bucket policy lets write objects.
struct Writer {
  std::string principal;  // "arn:aws:iam::222222222222:role/role2", "*"
  std::string account;    // "" for "*"
};

// Allow statements whose actions cover s3:PutObject and whose principals are
// in other accounts (or "*"). Deny statements and conditions are not weighed:
// a writer listed here may still be refused by a condition.
std::vector<Writer> ForeignWriters(const iam::Policy& bucket_policy, const std::string& owner_account);

// What the reference resolves to in one account, as far as the audit could see.
enum class Resolves { kToKey, kMissing, kUnknown };

enum class WriterMode {
  kSafe,               // qualified reference: the owner's key whoever writes
  kPutFails,           // unqualified, missing in the writer's account: KMS.NotFoundException
  kWriterKeySilently,  // unqualified, exists there: objects under the writer's key
  kWriterManagedKey,   // aws:kms without a key: the writer's own aws/s3
  kUnknown,            // unqualified, and the writer's account could not be looked at
  kNotKms,             // SSE-S3 default: S3's own keys, readable by the owner
};
std::string_view WriterModeName(WriterMode mode);
// A sentence for the report.
std::string ExplainWriterMode(WriterMode mode, const std::string& ref, const std::string& account);

WriterMode ModeForWriter(const BucketDefault& d, Resolves in_writer_account);

// One object version as HeadObject (and ListObjectVersions) describe it.
struct ObjectFacts {
  std::string key, version_id;
  bool latest = true;
  uint64_t size = 0;
  std::string owner_id;       // ListObjectVersions Owner.ID
  std::string sse;            // "AES256", "aws:kms", "aws:kms:dsse", ""
  std::string kms_key_arn;    // x-amz-server-side-encryption-aws-kms-key-id
  bool sse_c = false;         // x-amz-server-side-encryption-customer-algorithm present
};
CK_DECLARE_FIELDS(ObjectFacts);

// What the audit knows about a KMS key the objects use.
struct KeyFacts {
  std::string arn, account;
  std::optional<bool> aws_managed;         // KeyManager AWS
  std::optional<bool> owner_can_decrypt;   // from the key policy when readable
};

enum class FindingKind {
  kForeignCustomerKey,  // another account's customer managed key
  kForeignManagedKey,   // another account's aws/s3
  kForeignKey,          // another account's key, kind unknown
  kSseS3WhereKmsRequired,
  kSseC,                // cannot be re-keyed without the customer's key
};
std::string_view FindingName(FindingKind kind);

struct Finding {
  FindingKind kind;
  std::string key_arn;       // the key the object is under ("" for SSE-S3/SSE-C)
  std::string key_account;   // its account: the writer's account for the seed's modes
  std::optional<bool> owner_can_decrypt;
  bool fixable = true;       // fix can re-encrypt it (not SSE-C)
};

// Nothing when the object is as the owner intends. `intended_key_arn`: the
// owner's resolved key for a KMS default ("" when unknown or not KMS).
std::optional<Finding> Classify(const ObjectFacts& object, const BucketDefault& d, const std::string& owner_account,
                                const std::string& intended_key_arn, const KeyFacts* key);

// Whether a key policy lets `account` (its root, i.e. IAM-delegated
// principals, or "*") use kms:Decrypt, ignoring conditions; nullopt when only
// a conditional statement would allow it.
std::optional<bool> PolicyLetsAccountDecrypt(const iam::Policy& key_policy, const std::string& account);

// The account in a key ARN ("" if not an ARN).
std::string AccountOf(std::string_view arn);

}  // namespace ck::core::audit
