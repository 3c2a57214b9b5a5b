// Bucket operations: list, create, delete, head, location. The bucket
// sub-resources are subresources.cpp.
#include <algorithm>
#include <cctype>

#include "services/authorizer.h"
#include "services/s3/ops/object_lock.h"
#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

bool IsLowerOrDigit(char ch) {
  return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch));
}

bool ValidBucketName(const std::string& n) {
  if (n.size() < 3 || n.size() > 63) return false;
  for (char ch : n)
    if (!IsLowerOrDigit(ch) && ch != '.' && ch != '-') return false;
  if (!IsLowerOrDigit(n.front()) || !IsLowerOrDigit(n.back())) return false;
  if (n.find("..") != std::string::npos || n.find(".-") != std::string::npos || n.find("-.") != std::string::npos)
    return false;
  if (StartsWith(n, "xn--") || StartsWith(n, "sthree-") || EndsWith(n, "-s3alias") || EndsWith(n, "--ol-s3"))
    return false;
  int dots = 0;
  bool digits_only = true;
  for (char ch : n) {
    if (ch == '.')
      ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(ch)))
      digits_only = false;
  }
  return !(dots == 3 && digits_only);  // looks like an IP address
}

// AWS's regions, for ListBuckets' bucket-region (which refuses any other).
constexpr std::string_view kAwsRegions[] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "af-south-1",     "ap-east-1",
    "ap-east-2",      "ap-south-1",     "ap-south-2",     "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ap-northeast-2",
    "ap-northeast-3", "ca-central-1",   "ca-west-1",      "eu-central-1",   "eu-central-2",   "eu-west-1",
    "eu-west-2",      "eu-west-3",      "eu-south-1",     "eu-south-2",     "eu-north-1",     "il-central-1",
    "me-south-1",     "me-central-1",   "mx-central-1",   "sa-east-1",      "us-gov-east-1",  "us-gov-west-1",
    "cn-north-1",     "cn-northwest-1"};

bool ValidRegionName(const std::string& r) {
  if (r.empty() || r.size() > 32) return false;
  for (char ch : r)
    if (!IsLowerOrDigit(ch) && ch != '-') return false;
  return r.find('-') != std::string::npos;
}

Status InvalidConstraint(const std::string& constraint) {
  return errors::InvalidLocationConstraint("The specified location-constraint is not valid")
      .WithField("LocationConstraint", constraint);
}

// The region a new bucket goes to: the endpoint's, as the location constraint must agree.
Result<std::string> BucketRegion(const std::string& endpoint_region, const std::string& constraint) {
  std::string region;
  // EU is the legacy name of eu-west-1, accepted there too.
  if (constraint == "EU" && endpoint_region == "eu-west-1") return std::string("eu-west-1");
  if (endpoint_region == "us-east-1") {
    if (constraint == "us-east-1") return InvalidConstraint(constraint);
    region = constraint.empty() ? "us-east-1" : constraint;
    if (constraint == "EU") region = "eu-west-1";
  } else if (constraint.empty()) {
    return errors::IllegalLocationConstraintException(
        "The unspecified location constraint is incompatible for the region specific endpoint this request was sent "
        "to.");
  } else if (constraint != endpoint_region) {
    return errors::IllegalLocationConstraintException(
        "The " + constraint +
        " location constraint is incompatible for the region specific endpoint this request was sent to.");
  } else {
    region = constraint;
  }
  if (!ValidRegionName(region)) return InvalidConstraint(constraint);
  return region;
}

// The ACL a CreateBucket request sets. BucketOwnerEnforced takes only the
// owner-only canned ACLs, refusing others before reading them (inferred; the
// Put*Acl operations, recorded, read them first); elsewhere a public ACL
// meets the new bucket's public access block (on since April 2023).
Status SetCreationAcl(const api_s3::CreateBucketRequest& in, BucketRecord* b) {
  acl::AclInput acl_in = acl::InputOf(in);
  if (!AclsEnabled(*b)) {
    bool owner_only = !acl_in.has_grant_headers() &&
                      (!acl_in.canned || *acl_in.canned == "private" || *acl_in.canned == "bucket-owner-full-control");
    if (owner_only) return Status::Ok();
    return errors::InvalidBucketAclWithObjectOwnership(
        "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  }
  CK_RETURN_IF_ERROR(acl::Validate(acl_in, /*required=*/false));
  CK_ASSIGN_OR_RETURN(b->acl, acl::Resolve(acl_in, acl::AclOwners{b->owner, b->owner, true}));
  if (b->acl && acl::IsPublic(*b->acl))
    return errors::InvalidBucketAclWithBlockPublicAccessError(
        "Bucket cannot have public ACLs set with BlockPublicAccess enabled");
  return Status::Ok();
}

// The record of a new bucket: ownership controls and ACL headers checked,
// the public access block on (as AWS does since 2023).
Result<BucketRecord> NewBucket(const api_s3::CreateBucketRequest& in, const std::string& owner,
                               const std::string& region, double now) {
  BucketRecord b;
  b.name = in.bucket;
  b.owner = owner;
  b.region = region;
  b.created = now;
  if (in.object_ownership) {
    if (!in.object_ownership->known()) {
      std::string v(in.object_ownership->str());
      auto e = errors::InvalidArgument("Invalid x-amz-object-ownership header: " + v)
                   .WithField("ArgumentName", "x-amz-object-ownership");
      return v.empty() ? e : e.WithField("ArgumentValue", v);  // an empty header too, without a value (recorded)
    }
    b.ownership = *in.object_ownership;
  }
  CK_RETURN_IF_ERROR(SetCreationAcl(in, &b));
  if (in.create_bucket_configuration && in.create_bucket_configuration->tags) {
    const auto& tags = *in.create_bucket_configuration->tags;
    std::vector<ObjectTag> check;
    for (const auto& t : tags) check.push_back(ObjectTag{t.key, t.value});
    CK_RETURN_IF_ERROR(CheckBucketTags(check, /*creating=*/true));
    if (!tags.empty()) b.tags = tags;
  }
  b.public_access_block.emplace();
  b.public_access_block->block_public_acls = true;
  b.public_access_block->ignore_public_acls = true;
  b.public_access_block->block_public_policy = true;
  b.public_access_block->restrict_public_buckets = true;
  return b;
}

// `action`: the endpoint's when empty.
Status CheckAllowed(S3Service& s, const Call& c, const std::string& resource, core::iam::ContextKeys keys = {},
                    std::string_view action = {}) {
  AuthzRequest r = AuthzRequest::For(c.ctx, std::string(action.empty() ? c.action : action), resource);
  r.keys = std::move(keys);
  CK_ASSIGN_OR_RETURN(auto decision, s.authorizer().Authorize(r));
  if (!decision.allowed()) return errors::AccessDenied(decision.Message(/*redact_resource=*/false));
  return Status::Ok();
}

}  // namespace

Result<api_s3::ListBucketsOutput> ListBuckets(S3Service& s, const api_s3::ListBucketsRequest& in, Call& c) {
  const Principal& p = c.principal();
  if (p.is_anonymous()) return errors::PlainAccessDenied();
  CK_RETURN_IF_ERROR(CheckAllowed(s, c, "*"));
  int max = in.max_buckets.value_or(10000);
  if (max < 1 || max > 10000)
    return errors::BadArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets",
                               std::to_string(max));
  if (in.bucket_region && !in.bucket_region->empty() &&
      std::find(std::begin(kAwsRegions), std::end(kAwsRegions), *in.bucket_region) == std::end(kAwsRegions))
    return errors::InvalidArgument("Argument value " + *in.bucket_region + " is not a valid AWS Region")
        .WithField("ArgumentName", "bucket-region");
  std::string prefix = in.prefix.value_or("");
  CK_ASSIGN_OR_RETURN(auto names, s.store().OwnedBuckets(p.account, prefix, in.continuation_token.value_or(""),
                                                         static_cast<size_t>(max) + 1));
  api_s3::ListBucketsOutput out;
  auto& buckets = out.buckets.emplace();
  std::string last;
  for (size_t i = 0; i < names.size() && i < static_cast<size_t>(max); ++i) {
    auto b = s.store().Bucket(names[i]);
    if (!b.ok()) continue;
    if (in.bucket_region && !in.bucket_region->empty() && (*b)->region != *in.bucket_region) continue;
    api_s3::Bucket item;
    item.name = names[i];
    item.creation_date = FromEpochSeconds((*b)->created);
    item.bucket_region = (*b)->region;
    item.bucket_arn = "arn:aws:s3:::" + names[i];
    buckets.push_back(std::move(item));
    last = names[i];
  }
  out.owner = OwnerOf(p.account);
  if (names.size() > static_cast<size_t>(max)) out.continuation_token = last;
  if (!prefix.empty()) out.prefix = prefix;
  return out;
}

Result<api_s3::CreateBucketOutput> CreateBucket(S3Service& s, const api_s3::CreateBucketRequest& in, Call& c) {
  const Principal& p = c.principal();
  if (p.is_anonymous()) return errors::PlainAccessDenied();
  const std::string& name = in.bucket;
  if (!ValidBucketName(name))
    return errors::InvalidBucketName("The specified bucket is not valid.").WithField("BucketName", name);
  std::string endpoint_region = c.ctx.region.empty() ? s.options().region : c.ctx.region;
  std::string constraint;
  if (in.create_bucket_configuration && in.create_bucket_configuration->location_constraint)
    constraint = std::string(in.create_bucket_configuration->location_constraint->str());
  CK_ASSIGN_OR_RETURN(std::string region, BucketRegion(endpoint_region, constraint));
  CK_RETURN_IF_ERROR(CheckAllowed(s, c, "arn:aws:s3:::" + name, WriteConditionKeys(in)));
  bool lock = in.object_lock_enabled_for_bucket.value_or(false);
  if (lock) {
    // Enabling Object Lock takes the permissions of configuring it and versioning (S3 API reference, CreateBucket).
    CK_RETURN_IF_ERROR(CheckAllowed(s, c, "arn:aws:s3:::" + name, {}, "s3:PutBucketObjectLockConfiguration"));
    CK_RETURN_IF_ERROR(CheckAllowed(s, c, "arn:aws:s3:::" + name, {}, "s3:PutBucketVersioning"));
  }
  CK_ASSIGN_OR_RETURN(auto b, NewBucket(in, p.account, region, ToEpochSeconds(s.clock().Now())));
  if (lock) EnableObjectLock(&b);
  if (!constraint.empty() && constraint != region) b.constraint = constraint;  // "EU"
  CK_ASSIGN_OR_RETURN(auto existing, s.store().CreateBucket(b));
  if (existing) {
    if (existing->owner != p.account)
      return errors::BucketAlreadyExists(
                 "The requested bucket name is not available. The bucket namespace is shared by all users of the "
                 "system. Please select a different name and try again.")
          .WithField("BucketName", name);
    // us-east-1 answers 200 to its owner (legacy behaviour), unless the
    // request sets tags (recorded on AWS), which a re-creation cannot.
    bool tags = in.create_bucket_configuration && in.create_bucket_configuration->tags &&
                !in.create_bucket_configuration->tags->empty();
    if (existing->region != "us-east-1" || endpoint_region != "us-east-1" || tags)
      return errors::BucketAlreadyOwnedByYou(
                 "Your previous request to create the named bucket succeeded and you already own it.")
          .WithField("BucketName", name);
  }
  api_s3::CreateBucketOutput out;
  out.location = "/" + name;
  out.bucket_arn = "arn:aws:s3:::" + name;
  return out;
}

Result<api::Empty> DeleteBucket(S3Service& s, const api_s3::DeleteBucketRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  CK_RETURN_IF_ERROR(s.store().DeleteBucket(*b));
  return api::Empty{};
}

Result<api_s3::HeadBucketOutput> HeadBucket(S3Service& s, const api_s3::HeadBucketRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  api_s3::HeadBucketOutput out;
  out.bucket_region = b->region;
  out.bucket_arn = "arn:aws:s3:::" + b->name;
  out.access_point_alias = false;
  return out;
}

Result<api_s3::GetBucketLocationOutput> GetBucketLocation(S3Service& s, const api_s3::GetBucketLocationRequest& in,
                                                          Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  api_s3::GetBucketLocationOutput out;
  if (b->region != "us-east-1")
    out.location_constraint = EnumValue<api_s3::BucketLocationConstraint>::Parse(b->constraint.value_or(b->region));
  return out;
}

}  // namespace ck::services::s3
