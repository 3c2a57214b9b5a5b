// What `crosskey lint` knows about one input after reading it, whatever its
// format: where KMS keys are named for encryption (KeyUse), what those
// settings belong to (Target: a bucket, secret, queue or topic), who the
// resource policies let in (PolicyAttachment), and the keys, aliases and
// grants the input defines itself (KeyDef, Grant).
//
// One input is what shares a namespace: a Terraform module directory (all its
// .tf files), a plan or state JSON, a CloudFormation template, or one AWS CLI
// output file. The format readers (terraform.h, cloudformation.h, cli_json.h)
// fill it; the rules (rules.h) read only this.
#pragma once

#include <string>
#include <vector>

#include "tools/lint/source.h"

namespace ck::tools::lint {

enum class Format {
  kTerraformHcl,
  kTerraformPlan,
  kTerraformState,
  kCloudFormationYaml,
  kCloudFormationJson,
  kBucketEncryptionJson
};

const char* FormatName(Format f);

// A key reference as KMS reads it (AWS-SEMANTICS §1.1, §1.3).
enum class RefForm {
  kAbsent,  // no key named: the service uses its AWS managed key
  kKeyArn,  // qualified: resolved in the account and region it names
  kAliasArn,
  kKeyId,  // unqualified: resolved in the caller's account and region
  kAliasName,
  kInvalid,  // none of the four forms: KMS answers "Invalid keyId"
  kUnknown,  // an expression lint cannot evaluate
};

inline bool IsQualified(RefForm f) { return f == RefForm::kKeyArn || f == RefForm::kAliasArn; }
inline bool IsUnqualified(RefForm f) {
  return f == RefForm::kKeyId || f == RefForm::kAliasName || f == RefForm::kInvalid;
}

struct KeyRef {
  RefForm form = RefForm::kAbsent;
  bool managed = false;     // an AWS managed key (alias/aws/...), named or implied by kAbsent
  std::string written;      // the reference as written (literal value or expression text)
  Span span;                // the value; for kAbsent, the setting that implies the default key
  std::string arn;          // the exact ARN to use, when lint can compute it
  std::string replacement;  // what --fix writes over `span`, when known
  std::string suggestion;   // otherwise, what to write in the source (a plan's configuration)
  int key = -1;             // the KeyDef it names, when the input defines it

  // No key named (null, empty, or AWS::NoValue): the AWS managed default
  // applies, pointed at by the setting at `anchor`.
  static KeyRef Absent(Span anchor) {
    KeyRef ref;
    ref.form = RefForm::kAbsent;
    ref.managed = true;
    ref.span = anchor;
    return ref;
  }
  // A reference written at `span` as `text`, its form not known yet.
  static KeyRef WrittenAt(Span span, std::string text) {
    KeyRef ref;
    ref.span = span;
    ref.written = std::move(text);
    return ref;
  }
};

enum class Surface { kS3Bucket, kS3Object, kSecret, kDynamoDb, kSqs, kSns };

struct Target {
  Surface surface = Surface::kS3Bucket;
  std::string entity;              // Terraform address or CloudFormation logical id ("" if not defined here)
  std::string display;             // bucket name, secret name, or the entity
  std::vector<std::string> names;  // literal names, ARNs, URLs it is known by
};

struct KeyUse {
  Surface surface = Surface::kS3Bucket;
  std::string resource;       // "aws_s3_bucket_server_side_encryption_configuration.e", "Bucket", ...
  std::string resource_type;  // "aws_s3_bucket", "AWS::S3::Bucket", "s3api get-bucket-encryption"
  std::string attribute;  // the setting, e.g. "rule[0].apply_server_side_encryption_by_default[0].kms_master_key_id"
  int target = -1;        // index in Input::targets
  KeyRef ref;
};

struct PolicyPrincipal {
  enum class Kind { kAnyone, kAccount, kOwn, kUnknown };
  Kind kind = Kind::kUnknown;
  std::string account;  // kAccount
  std::string text;     // as written
  Span span;
};

struct PolicyStatement {
  bool allow = true;
  bool not_principal = false;
  std::vector<PolicyPrincipal> principals;
  bool not_action = false;
  std::vector<std::string> actions;  // literal patterns, lower-cased
  Span span;
};

struct Policy {
  bool known = false;  // false: not readable (an expression, or not JSON)
  std::vector<PolicyStatement> statements;
  Span span;
};

// A resource policy (bucket policy, secret resource policy, queue or topic
// policy) and what it is attached to.
struct PolicyAttachment {
  Surface surface = Surface::kS3Bucket;
  std::vector<int> targets;  // empty: lint cannot tell which; it then counts for every target of `surface`
  std::string resource;
  Policy policy;
};

struct KeyDef {
  std::string entity;  // "aws_kms_key.k", "Key", "aws_kms_alias.a"
  bool alias = false;
  std::string alias_name;       // aliases: "alias/NAME"
  int target_key = -1;          // aliases: the key they point at, when defined here
  std::string key_id, arn;      // when known (state, plans of existing keys)
  bool default_policy = false;  // no policy given: KMS's default, which lets in only the owning account
  Policy policy;
  Span span;  // the declaration
};

struct Grant {
  int key = -1;
  PolicyPrincipal grantee;
  std::vector<std::string> operations;  // "GenerateDataKey", "Decrypt", ...
  Span span;
};

struct Input {
  Format format = Format::kTerraformHcl;
  std::string name;  // file or directory, for messages
  std::vector<uint32_t> files;
  bool fixable = false;       // --fix may rewrite its files
  std::string owner_account;  // --account, or learnt from the input
  std::string region;         // --region, or learnt from the input
  std::string partition = "aws";
  std::vector<Target> targets;
  std::vector<KeyUse> uses;
  std::vector<PolicyAttachment> policies;
  std::vector<KeyDef> keys;
  std::vector<Grant> grants;

  // The index in `keys` of the key or alias defined as `entity`, or -1.
  int KeyIndex(const std::string& entity) const {
    for (size_t i = 0; i < keys.size(); ++i)
      if (keys[i].entity == entity) return static_cast<int>(i);
    return -1;
  }
};

struct ReadOptions {
  std::string account;  // --account: the account that owns what the input defines
  std::string region;   // --region
};

}  // namespace ck::tools::lint
