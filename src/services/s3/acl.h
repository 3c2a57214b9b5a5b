// S3 access control lists: reading the ACL a request sets (a canned ACL in
// x-amz-acl, x-amz-grant-* headers, or an AccessControlPolicy body) into the
// grants S3 stores and shows, and evaluating stored grants for a requester.
// S3 user guide, "Access control list (ACL) overview" (grantees, canned
// ACLs, permission to action mapping) and "Blocking public access" (what
// makes an ACL public).
//
// Grantees are kept as S3 shows them: canonical users by ID, groups by URI.
// A canonical user ID names a crosskey account (records.h CanonicalId); an
// ID that names none is refused as S3 refuses an unknown one ("Invalid id").
// Grants by e-mail address are refused (UnresolvableGrantByEmailAddress), as
// S3 refuses them in every Region since October 2025.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "api/s3.h"
#include "base/status.h"

namespace ck::services::s3::acl {

inline constexpr char kAllUsers[] = "http://acs.amazonaws.com/groups/global/AllUsers";
inline constexpr char kAuthenticatedUsers[] = "http://acs.amazonaws.com/groups/global/AuthenticatedUsers";
inline constexpr char kLogDelivery[] = "http://acs.amazonaws.com/groups/s3/LogDelivery";
// The canonical user aws-exec-read grants READ (Amazon EC2 reading AMI bundles).
inline constexpr char kEc2BundleReader[] = "6aa5a366c34c1cbe25dc49211496e913e0351eb0e8c37aa3477e40942ec6b97c";

// What a request sends about the ACL to set, as sent.
struct AclInput {
  std::optional<std::string> canned;  // x-amz-acl
  std::optional<std::string> grant_full_control, grant_read, grant_write, grant_read_acp, grant_write_acp;
  const api::s3::AccessControlPolicy* body = nullptr;  // PutBucketAcl / PutObjectAcl only

  bool has_grant_headers() const {
    return grant_full_control || grant_read || grant_write || grant_read_acp || grant_write_acp;
  }
  bool empty() const { return !canned && !has_grant_headers() && !body; }
};

// Builds an AclInput from any request shape with S3's ACL members.
template <class In>
AclInput InputOf(const In& in) {
  AclInput a;
  if (in.acl) a.canned = std::string(in.acl->str());
  if constexpr (requires { in.grant_full_control; }) {
    a.grant_full_control = in.grant_full_control;
    a.grant_read = in.grant_read;
    a.grant_read_acp = in.grant_read_acp;
    a.grant_write_acp = in.grant_write_acp;
  }
  if constexpr (requires { in.grant_write; }) a.grant_write = in.grant_write;
  if constexpr (requires { in.access_control_policy; })
    if (in.access_control_policy) a.body = &*in.access_control_policy;
  return a;
}

// Whose ACL it is: the owner of the bucket or object, and the bucket's owner
// (bucket-owner-read / bucket-owner-full-control name it).
struct AclOwners {
  std::string owner;         // account id
  std::string bucket_owner;  // account id
  bool bucket = false;       // a bucket's ACL (else an object's)
};

// True for the canned ACL names S3 accepts in x-amz-acl.
bool KnownCanned(std::string_view name);

// Checks the request's ACL members in S3's order (recorded on AWS): an
// unknown canned ACL, a canned ACL with grant headers, a body with either,
// unreadable grant headers, an unreadable body. `required` (Put*Acl): a
// request with none of them is MissingSecurityHeader.
Status Validate(const AclInput& in, bool required);

// The grants the (validated) request sets, with the owner; nullopt when it
// sends none.
Result<std::optional<api::s3::AccessControlPolicy>> Resolve(const AclInput& in, const AclOwners& owners);

// The ACL of a canned name (validated) for `owners`.
api::s3::AccessControlPolicy Canned(std::string_view name, const AclOwners& owners);

// The ACL an unset one stands for: the owner's FULL_CONTROL.
api::s3::AccessControlPolicy OwnerOnly(const std::string& owner);

// True when every grant is the owner's FULL_CONTROL (what BucketOwnerEnforced
// buckets accept).
bool OwnerFullControlOnly(const api::s3::AccessControlPolicy& acl, const std::string& owner);

// A grant to AllUsers or AuthenticatedUsers (Block Public Access' "public").
bool IsPublic(const api::s3::AccessControlPolicy& acl);

// Permission bits.
enum Bits : uint8_t { kRead = 1, kWrite = 2, kReadAcp = 4, kWriteAcp = 8, kFullControl = 15 };

// How an ACL reaches a requester: not at all, through a grant to its
// account, or through a group grant (AllUsers, AuthenticatedUsers).
enum class Reach { kNone, kAccount, kPublic };

// The permissions `acl` grants to a requester of `account` ("" =
// anonymous); with `ignore_public` (IgnorePublicAcls) group grants to
// AllUsers and AuthenticatedUsers count for nothing.
struct Granted {
  uint8_t account = 0;  // through grants to the account's canonical user
  uint8_t group = 0;    // through AllUsers / AuthenticatedUsers
  Reach ReachFor(uint8_t needed) const {
    if ((account & needed) == needed) return Reach::kAccount;
    if ((group & needed) == needed) return Reach::kPublic;
    return Reach::kNone;
  }
};
Granted GrantedTo(const api::s3::AccessControlPolicy& acl, const std::string& account, bool ignore_public);

// The ACL permission an S3 action needs, and whether on the object's ACL
// (else the bucket's); nullopt for actions ACLs do not grant.
struct Need {
  uint8_t bits = 0;
  bool object = false;
};
std::optional<Need> NeedFor(std::string_view action);

}  // namespace ck::services::s3::acl
