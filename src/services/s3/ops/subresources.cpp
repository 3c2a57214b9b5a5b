// The bucket sub-resource descriptors (subresources.h): one row each.
#include "services/s3/ops/subresources.h"

#include <algorithm>
#include <cstdlib>
#include <set>

#include "base/json_depth.h"
#include "core/iam/condition.h"
#include "core/iam/policy_document.h"
#include "core/iam/wildcard.h"
#include "services/authorizer.h"

namespace ck::services::s3::sub {

namespace {

namespace s3api = api::s3;

// --- Policy ---

// The condition keys that make a grant to everyone non-public when a
// statement requires fixed values of them ("The meaning of public", S3 user
// guide; PublicAccessBlockConfiguration in the API reference).
constexpr std::string_view kRestrictingKeys[] = {"aws:SourceIp",
                                                 "aws:SourceArn",
                                                 "aws:SourceVpc",
                                                 "aws:SourceVpce",
                                                 "aws:SourceOwner",
                                                 "aws:SourceAccount",
                                                 "aws:userid",
                                                 "aws:PrincipalAccount",
                                                 "aws:PrincipalArn",
                                                 "aws:PrincipalOrgID",
                                                 "s3:DataAccessPointArn",
                                                 "s3:DataAccessPointAccount",
                                                 "s3:x-amz-server-side-encryption-aws-kms-key-id"};

bool IsFixedValue(const core::iam::ConditionValue& v) {
  const std::string& raw = v.text.raw();
  return !v.text.needs_resolve() && raw.find_first_of("*?") == std::string::npos && raw.find("${") == std::string::npos;
}

// Whether a condition limits a statement to fixed values of a restricting
// key: a positive operator (no Not..., no ...IfExists, not ForAllValues,
// which holds for an absent key) over fixed values; a CIDR no wider than /8.
// INFERRED: how wide a CIDR may be and still restrict is not documented.
bool Restricts(const core::iam::Condition& c) {
  std::string op = ToLower(c.op_name);
  if (op.find("not") != std::string::npos || op.find("ifexists") != std::string::npos ||
      StartsWith(op, "forallvalues:") || op == "null" || op == "bool")
    return false;
  bool known = std::any_of(std::begin(kRestrictingKeys), std::end(kRestrictingKeys),
                           [&](std::string_view k) { return ToLower(k) == ToLower(c.key); });
  if (!known || c.values.empty()) return false;
  for (const auto& v : c.values) {
    if (!IsFixedValue(v)) return false;
    if (ToLower(c.key) == "aws:sourceip") {
      const std::string& raw = v.text.raw();
      size_t slash = raw.find('/');
      int bits = slash == std::string::npos ? 128 : std::atoi(raw.c_str() + slash + 1);
      if (bits < 8) return false;
    }
  }
  return true;
}

// Whether a policy grants anything to everyone (Principal "*", a wildcard
// principal, or NotPrincipal) that no condition restricts to fixed
// accounts, networks or sources: a condition on another key (aws:Referer,
// s3:prefix, ...) leaves it public.
bool IsPublic(const core::iam::Policy& policy) {
  for (const auto& st : policy.statements) {
    if (st.effect != core::iam::Effect::kAllow || !st.has_principal) continue;
    const auto& p = st.principals;
    bool everyone = st.not_principal || p.any || std::any_of(p.aws.begin(), p.aws.end(), [](const std::string& a) {
                      return a.find('*') != std::string::npos;
                    });
    if (!everyone) continue;
    if (std::none_of(st.conditions.begin(), st.conditions.end(), Restricts)) return true;
  }
  return false;
}

// S3's checks of a bucket policy: JSON, a valid resource policy, and every
// resource in this bucket.
Result<std::shared_ptr<const core::iam::Policy>> ValidatePolicy(S3Service& s, const std::string& bucket,
                                                                const std::string& text) {
  std::string_view t = Trim(text);
  if (t.empty() || t.front() != '{')
    return errors::MalformedPolicy("Policies must be valid JSON and the first byte must be '{'");
  // Deeper than any policy: refused as the policy parser refuses it, before
  // a tree is built (megabytes of brackets take hundreds of megabytes).
  if (JsonNestingDepth(text, 32) > 32) return errors::MalformedPolicy("Syntax errors in policy.");
  if (!Document::accept(text)) return errors::MalformedPolicy("This policy contains invalid Json");
  auto parsed = s.authorizer().Parse(text, core::iam::PolicyKind::kResource);
  if (!parsed.ok()) return errors::MalformedPolicy(parsed.status().message());
  static constexpr std::string_view kPrefix = "arn:aws:s3:::";
  for (const auto& st : (*parsed)->statements) {
    for (const auto& r : st.resources) {
      const std::string& v = r.source.raw();
      if (v == "*") continue;
      std::string rest = StartsWith(v, kPrefix) ? v.substr(kPrefix.size()) : "";
      if (rest.empty() || !core::iam::GlobMatch(rest.substr(0, rest.find('/')), bucket))
        return errors::MalformedPolicy("Policy has invalid resource");
    }
  }
  return *parsed;
}

Result<std::optional<std::string>> TakePolicy(S3Service& s, const Call& c, const BucketRecord& b,
                                              const s3api::PutBucketPolicyRequest& in) {
  CK_ASSIGN_OR_RETURN(auto policy, ValidatePolicy(s, b.name, in.policy));
  if (b.blocks_public_policy() && IsPublic(*policy))
    return errors::AccessDenied(
        "User: " + c.principal().arn +
        " is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::" + b.name +
        "\" because public policies are blocked by the BlockPublicPolicy block public access "
        "setting.");
  return std::optional<std::string>(in.policy);
}

// --- Tagging, CORS, public access block ---

Result<std::optional<std::vector<s3api::Tag>>> TakeTags(S3Service&, const Call&, const BucketRecord&,
                                                        const s3api::PutBucketTaggingRequest& in) {
  const auto& tags = in.tagging.tag_set;
  std::vector<ObjectTag> check;
  for (const auto& t : tags) check.push_back(ObjectTag{t.key, t.value});
  CK_RETURN_IF_ERROR(CheckBucketTags(check, /*creating=*/false));
  return std::optional<std::vector<s3api::Tag>>(tags);  // an empty TagSet removes the tags (kTagging.write)
}

Result<std::optional<std::vector<s3api::CORSRule>>> TakeCors(S3Service&, const Call&, const BucketRecord&,
                                                             const s3api::PutBucketCorsRequest& in) {
  const auto& rules = in.cors_configuration.cors_rules;
  if (rules.empty()) return errors::Malformed();
  for (const auto& rule : rules)
    for (const auto& method : rule.allowed_methods)
      if (method != "GET" && method != "PUT" && method != "POST" && method != "DELETE" && method != "HEAD")
        return errors::InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + method);
  return std::optional<std::vector<s3api::CORSRule>>(rules);
}

Result<std::optional<s3api::PublicAccessBlockConfiguration>> TakePublicAccessBlock(
    S3Service&, const Call&, const BucketRecord&, const s3api::PutPublicAccessBlockRequest& in) {
  const auto& cfg = in.public_access_block_configuration;
  s3api::PublicAccessBlockConfiguration norm;  // every setting stored, false when not given
  norm.block_public_acls = cfg.block_public_acls.value_or(false);
  norm.ignore_public_acls = cfg.ignore_public_acls.value_or(false);
  norm.block_public_policy = cfg.block_public_policy.value_or(false);
  norm.restrict_public_buckets = cfg.restrict_public_buckets.value_or(false);
  return std::optional<s3api::PublicAccessBlockConfiguration>(norm);
}

// --- Ownership controls, versioning ---

std::optional<EnumValue<s3api::ObjectOwnership>> ReadOwnership(const BucketRecord& b) {
  if (b.ownership.str().empty()) return std::nullopt;
  return b.ownership;
}

Result<std::optional<EnumValue<s3api::ObjectOwnership>>> TakeOwnership(
    S3Service&, const Call&, const BucketRecord& b, const s3api::PutBucketOwnershipControlsRequest& in) {
  const auto& rules = in.ownership_controls.rules;
  if (rules.size() != 1 || !rules[0].object_ownership.known()) return errors::Malformed();
  // ACLs may be disabled only once the bucket ACL grants nobody but the owner
  // (S3 user guide, "Prerequisites for disabling ACLs").
  if (rules[0].object_ownership == s3api::ObjectOwnership::kBucketOwnerEnforced && b.acl &&
      !acl::OwnerFullControlOnly(*b.acl, b.owner))
    return errors::InvalidBucketAclWithObjectOwnership(
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  return std::optional<EnumValue<s3api::ObjectOwnership>>(rules[0].object_ownership);
}

s3api::GetBucketOwnershipControlsOutput ShowOwnership(const EnumValue<s3api::ObjectOwnership>& v) {
  s3api::GetBucketOwnershipControlsOutput out;
  out.ownership_controls.emplace().rules.push_back(s3api::OwnershipControlsRule{v});
  return out;
}

Result<std::optional<EnumValue<s3api::BucketVersioningStatus>>> TakeVersioning(
    S3Service&, const Call&, const BucketRecord& b, const s3api::PutBucketVersioningRequest& in) {
  const auto& cfg = in.versioning_configuration;
  if (!cfg.status && !cfg.mfa_delete)
    return errors::IllegalVersioningConfigurationException("The Versioning element must be specified");
  const auto& status = cfg.status;
  if (!status || !status->known()) return errors::Malformed();
  if (b.object_lock_enabled() && *status != s3api::BucketVersioningStatus::kEnabled)
    return errors::InvalidBucketState(
        "An Object Lock configuration is present on this bucket, so the versioning state cannot be changed.");
  return std::optional<EnumValue<s3api::BucketVersioningStatus>>(*status);
}

// --- Default encryption ---

s3api::ServerSideEncryptionConfiguration DefaultEncryption() {
  s3api::ServerSideEncryptionRule rule;
  rule.apply_server_side_encryption_by_default.emplace().sse_algorithm = s3api::ServerSideEncryption::kAes256;
  rule.bucket_key_enabled = false;
  s3api::ServerSideEncryptionConfiguration cfg;
  cfg.rules.push_back(std::move(rule));
  return cfg;
}

Result<std::optional<s3api::ServerSideEncryptionConfiguration>> TakeEncryption(
    S3Service& s, const Call&, const BucketRecord&, const s3api::PutBucketEncryptionRequest& in) {
  // Validated, then stored and echoed verbatim. The key is not checked:
  // S3 resolves it on every write, as the requester (AWS-SEMANTICS §2.1).
  CK_RETURN_IF_ERROR(
      ValidateBucketEncryption(in.server_side_encryption_configuration, s.sse().options().require_key_arns));
  return std::optional<s3api::ServerSideEncryptionConfiguration>(in.server_side_encryption_configuration);
}

template <class Out>
Out Nothing(const BucketRecord&) {
  return Out{};
}

}  // namespace

const Subresource<std::string, ops::GetBucketPolicy, ops::PutBucketPolicy, ops::DeleteBucketPolicy> kPolicy{
    .read = [](const BucketRecord& b) { return b.policy; },
    .write = [](BucketRecord& b, std::optional<std::string> v) { b.policy = std::move(v); },
    .show = [](const std::string& v) { return s3api::GetBucketPolicyOutput{v}; },
    .not_found = &errors::kNoSuchBucketPolicy,
    .not_found_message = "The bucket policy does not exist",
    .take = TakePolicy,
    .put_status = 204,
};

// A second view of the policy: whether it is public.
const Subresource<std::string, ops::GetBucketPolicyStatus> kPolicyStatus{
    .read = [](const BucketRecord& b) { return b.policy; },
    .show =
        [](const std::string& v) {
          auto parsed = core::iam::ParsePolicy(v, core::iam::PolicyKind::kResource);
          s3api::GetBucketPolicyStatusOutput out;
          out.policy_status.emplace().is_public = parsed.ok() && IsPublic(*parsed);
          return out;
        },
    .not_found = &errors::kNoSuchBucketPolicy,
    .not_found_message = "The bucket policy does not exist",
};

const Subresource<std::vector<Tag>, ops::GetBucketTagging, ops::PutBucketTagging, ops::DeleteBucketTagging> kTagging{
    .read = [](const BucketRecord& b) { return b.tags; },
    .write =
        [](BucketRecord& b, std::optional<std::vector<Tag>> v) {
          if (v && v->empty()) v.reset();
          b.tags = std::move(v);
        },
    .show = [](const std::vector<Tag>& v) { return s3api::GetBucketTaggingOutput{v}; },
    .not_found = &errors::kNoSuchTagSet,
    .not_found_message = "The TagSet does not exist",
    .take = TakeTags,
    .put_status = 204,
};

const Subresource<std::vector<CORSRule>, ops::GetBucketCors, ops::PutBucketCors, ops::DeleteBucketCors> kCors{
    .read = [](const BucketRecord& b) { return b.cors; },
    .write = [](BucketRecord& b, std::optional<std::vector<CORSRule>> v) { b.cors = std::move(v); },
    .show = [](const std::vector<CORSRule>& v) { return s3api::GetBucketCorsOutput{v}; },
    .not_found = &errors::kNoSuchCORSConfiguration,
    .not_found_message = "The CORS configuration does not exist",
    .take = TakeCors,
};

const Subresource<PublicAccessBlockConfiguration, ops::GetPublicAccessBlock, ops::PutPublicAccessBlock,
                  ops::DeletePublicAccessBlock>
    kPublicAccessBlock{
        .read = [](const BucketRecord& b) { return b.public_access_block; },
        .write = [](BucketRecord& b,
                    std::optional<PublicAccessBlockConfiguration> v) { b.public_access_block = std::move(v); },
        .show = [](const PublicAccessBlockConfiguration& v) { return s3api::GetPublicAccessBlockOutput{v}; },
        .not_found = &errors::kNoSuchPublicAccessBlockConfiguration,
        .not_found_message = "The public access block configuration was not found",
        .take = TakePublicAccessBlock,
    };

const Subresource<EnumValue<ObjectOwnership>, ops::GetBucketOwnershipControls, ops::PutBucketOwnershipControls,
                  ops::DeleteBucketOwnershipControls>
    kOwnershipControls{
        .read = ReadOwnership,
        .write =
            [](BucketRecord& b, std::optional<EnumValue<ObjectOwnership>> v) {
              b.ownership = v.value_or(EnumValue<ObjectOwnership>());
            },
        .show = ShowOwnership,
        .not_found = &errors::kOwnershipControlsNotFoundError,
        .not_found_message = "The bucket ownership controls were not found",
        .take = TakeOwnership,
    };

const Subresource<EnumValue<s3api::BucketVersioningStatus>, ops::GetBucketVersioning, ops::PutBucketVersioning>
    kVersioning{
        .read = [](const BucketRecord& b) { return b.versioned() ? std::optional(b.versioning) : std::nullopt; },
        .write =
            [](BucketRecord& b, std::optional<EnumValue<s3api::BucketVersioningStatus>> v) {
              b.versioning = v.value_or(EnumValue<s3api::BucketVersioningStatus>());
            },
        .show =
            [](const EnumValue<s3api::BucketVersioningStatus>& v) {
              s3api::GetBucketVersioningOutput out;
              out.status = v;
              return out;
            },
        .unset = Nothing<s3api::GetBucketVersioningOutput>,
        .take = TakeVersioning,
    };

const Subresource<ServerSideEncryptionConfiguration, ops::GetBucketEncryption, ops::PutBucketEncryption,
                  ops::DeleteBucketEncryption>
    kEncryption{
        .read = [](const BucketRecord& b) { return b.encryption; },
        .write = [](BucketRecord& b,
                    std::optional<ServerSideEncryptionConfiguration> v) { b.encryption = std::move(v); },
        .show = [](const ServerSideEncryptionConfiguration& v) { return s3api::GetBucketEncryptionOutput{v}; },
        .unset = [](const BucketRecord&) { return s3api::GetBucketEncryptionOutput{DefaultEncryption()}; },
        .take = TakeEncryption,
    };

// Error texts: the S3 error-code list of the S3 API reference.
const Subresource<api::Empty, ops::GetBucketLifecycle> kLifecycleLegacy{
    .not_found = &errors::kNoSuchLifecycleConfiguration,
    .not_found_message = "The lifecycle configuration does not exist",
};
const Subresource<api::Empty, ops::GetBucketReplication, NoOperation, ops::DeleteBucketReplication> kReplication{
    .not_found = &errors::kReplicationConfigurationNotFoundError,
    .not_found_message = "The replication configuration was not found",
};
const Subresource<api::Empty, ops::GetBucketNotificationConfiguration> kNotifications{
    .unset = Nothing<s3api::NotificationConfiguration>};

}  // namespace ck::services::s3::sub
