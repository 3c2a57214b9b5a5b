// ACLs on the wire: the bucket ACL operations, the ACL members of object
// writes, the object ACL operations' core, and ACL grants as a way to
// authorization (Authorize, access.cpp, asks AllowedByAcl when the policies
// alone do not allow).
//
// ACLs count only where S3 Object Ownership leaves them enabled
// (ObjectWriter, BucketOwnerPreferred, or no ownership controls at all).
// Under BucketOwnerEnforced a request may send only an ACL that gives the
// bucket owner full control (a no-op) and reads show the owner's
// FULL_CONTROL. Block Public Access: BlockPublicAcls refuses a write that
// sets a public ACL (403 AccessDenied), IgnorePublicAcls makes public grants
// count for nothing when authorizing.
#include "services/s3/acl.h"

#include <nlohmann/json.hpp>

#include "services/authorizer.h"
#include "services/s3/ops/ops.h"

namespace ck::services::s3 {

namespace {

bool BlocksPublicAcls(const BucketRecord& b) {
  return b.public_access_block && b.public_access_block->block_public_acls.value_or(false);
}

bool IgnoresPublicAcls(const BucketRecord& b) {
  return b.public_access_block && b.public_access_block->ignore_public_acls.value_or(false);
}

// What a BucketOwnerEnforced bucket accepts: bucket-owner-full-control (or
// grants equivalent to it), and `private` from the bucket owner's account.
bool OwnerOnlyRequest(const Call& c, const BucketRecord& b, const acl::AclInput& in) {
  if (in.canned)
    return *in.canned == "bucket-owner-full-control" || (*in.canned == "private" && c.principal().account == b.owner);
  auto grants = acl::Resolve(in, acl::AclOwners{b.owner, b.owner, true});
  return grants.ok() && (!*grants || acl::OwnerFullControlOnly(**grants, b.owner));
}

// The checks every ACL a request sets passes: S3's validation, the bucket's
// ownership setting, then BlockPublicAcls. `owners` makes the grants.
Result<std::optional<api::s3::AccessControlPolicy>> AclToSet(const Call& c, const BucketRecord& b,
                                                             const acl::AclInput& in, const acl::AclOwners& owners,
                                                             bool required) {
  using Out = std::optional<api::s3::AccessControlPolicy>;
  CK_RETURN_IF_ERROR(acl::Validate(in, required));
  if (!AclsEnabled(b)) {
    if (!OwnerOnlyRequest(c, b, in)) return errors::BucketAclsDisabled();
    return Out();
  }
  CK_ASSIGN_OR_RETURN(auto grants, acl::Resolve(in, owners));
  if (grants && BlocksPublicAcls(b) && acl::IsPublic(*grants)) return errors::PlainAccessDenied();
  return grants;
}

}  // namespace

bool AclsEnabled(const BucketRecord& b) { return b.ownership != api::s3::ObjectOwnership::kBucketOwnerEnforced; }

api::s3::AccessControlPolicy BucketAcl(const BucketRecord& b) {
  if (!AclsEnabled(b) || !b.acl) return acl::OwnerOnly(b.owner);
  return *b.acl;
}

api::s3::AccessControlPolicy ObjectAcl(const BucketRecord& b, const ObjectRecord& rec) {
  if (!AclsEnabled(b)) return acl::OwnerOnly(b.owner);
  if (!rec.acl) return acl::OwnerOnly(rec.owner.empty() ? b.owner : rec.owner);
  return *rec.acl;
}

Status CheckWriteAcl(const Call& c, const BucketRecord& b, const acl::AclInput& in) {
  return AclToSet(c, b, in, acl::AclOwners{b.owner, b.owner, false}, /*required=*/false).status();
}

Result<std::optional<api::s3::AccessControlPolicy>> WriteAcl(const Call& c, const BucketRecord& b,
                                                             const acl::AclInput& in, const std::string& owner) {
  return AclToSet(c, b, in, acl::AclOwners{owner, b.owner, false}, /*required=*/false);
}

Result<std::optional<api::s3::AccessControlPolicy>> ObjectAclToSet(const Call& c, const BucketRecord& b,
                                                                   const ObjectRecord& rec, const acl::AclInput& in) {
  std::string owner = rec.owner.empty() ? b.owner : rec.owner;
  return AclToSet(c, b, in, acl::AclOwners{owner, b.owner, false}, /*required=*/true);
}

Result<api_s3::GetBucketAclOutput> GetBucketAcl(S3Service& s, const api_s3::GetBucketAclRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, AuthorizedBucket(s, c, in.bucket));
  api::s3::AccessControlPolicy shown = BucketAcl(*b);
  return api_s3::GetBucketAclOutput{shown.owner, shown.grants};
}

Result<api::Empty> PutBucketAcl(S3Service& s, const api_s3::PutBucketAclRequest& in, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, s.store().Bucket(in.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, *b, c.action, "", WriteConditionKeys(in)));  // s3:x-amz-acl, grants
  CK_ASSIGN_OR_RETURN(auto grants,
                      AclToSet(c, *b, acl::InputOf(in), acl::AclOwners{b->owner, b->owner, true}, /*required=*/true));
  if (grants) {
    CK_RETURN_IF_ERROR(s.store().UpdateBucket(b->name, [&](BucketRecord& r) {
      r.acl = std::move(grants);
      return Status::Ok();
    }));
  }
  return api::Empty{};
}

Result<bool> AllowedByAcl(S3Service& s, const Call& c, const BucketRecord& b, const AuthzRequest& request,
                          const std::string& key, const ObjectRecord* object) {
  if (!AclsEnabled(b)) return false;
  auto need = acl::NeedFor(request.action);
  if (!need) return false;
  std::optional<ObjectRecord> current;
  if (need->object && !object) {
    CK_ASSIGN_OR_RETURN(current, s.store().Current(b.name, key));
    if (!current || current->delete_marker) return false;
    object = &*current;
  }
  const api::s3::AccessControlPolicy in_force = need->object ? ObjectAcl(b, *object) : BucketAcl(b);
  const Principal& p = c.principal();
  std::string account = p.is_anonymous() ? "" : p.account;
  acl::Reach reach = acl::GrantedTo(in_force, account, IgnoresPublicAcls(b)).ReachFor(need->bits);
  if (reach == acl::Reach::kNone) return false;
  // The grant as the resource policy it amounts to, for this request alone:
  // a grant to an account delegates to the account's identity policies, a
  // group grant reaches everyone it names, and the cross-account rule holds.
  nlohmann::json principal =
      reach == acl::Reach::kPublic ? nlohmann::json("*") : nlohmann::json{{"AWS", "arn:aws:iam::" + account + ":root"}};
  nlohmann::json statement = {{"Effect", "Allow"}, {"Principal", principal}, {"Action", "*"}, {"Resource", "*"}};
  nlohmann::json doc = {{"Version", "2012-10-17"}, {"Statement", nlohmann::json::array({statement})}};
  CK_ASSIGN_OR_RETURN(auto policy, s.authorizer().Parse(doc.dump(), core::iam::PolicyKind::kResource));
  AuthzRequest r = request;
  r.resource_policy = policy.get();
  r.resource_account = need->object && !object->owner.empty() ? object->owner : b.owner;
  CK_ASSIGN_OR_RETURN(auto result, s.authorizer().Authorize(r));
  return result.allowed();
}

}  // namespace ck::services::s3
