#include "services/s3/acl.h"

#include <array>
#include <utility>
#include <vector>

#include "base/codec.h"
#include "services/s3/errors.h"
#include "services/s3/records.h"

namespace ck::services::s3::acl {

namespace s3api = api::s3;

namespace {

constexpr std::array<std::string_view, 8> kCannedNames = {
    "private",       "public-read",       "public-read-write",         "authenticated-read",
    "aws-exec-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"};

bool KnownGroup(std::string_view uri) { return uri == kAllUsers || uri == kAuthenticatedUsers || uri == kLogDelivery; }

bool KnownId(std::string_view id) { return id == kEc2BundleReader || AccountOfCanonicalId(id).has_value(); }

s3api::Grant UserGrant(const std::string& id, s3api::Permission permission) {
  s3api::Grant g;
  g.grantee.emplace();
  g.grantee->id = id;
  g.grantee->type = s3api::Type::kCanonicalUser;
  g.permission = permission;
  return g;
}

s3api::Grant GroupGrant(const std::string& uri, s3api::Permission permission) {
  s3api::Grant g;
  g.grantee.emplace();
  g.grantee->uri = uri;
  g.grantee->type = s3api::Type::kGroup;
  g.permission = permission;
  return g;
}

Status UnresolvableEmail() {
  // The text of S3's error-code list; not recorded.
  return errors::UnresolvableGrantByEmailAddress(
      "The e-mail address you provided does not match any account on record.");
}

// The grant headers in the order S3 lists them, with their permission.
std::vector<std::pair<const char*, std::pair<const std::optional<std::string>*, s3api::Permission>>> GrantHeaders(
    const AclInput& in) {
  return {{"x-amz-grant-full-control", {&in.grant_full_control, s3api::Permission::kFullControl}},
          {"x-amz-grant-read", {&in.grant_read, s3api::Permission::kRead}},
          {"x-amz-grant-write", {&in.grant_write, s3api::Permission::kWrite}},
          {"x-amz-grant-read-acp", {&in.grant_read_acp, s3api::Permission::kReadAcp}},
          {"x-amz-grant-write-acp", {&in.grant_write_acp, s3api::Permission::kWriteAcp}}};
}

// One x-amz-grant-* header: `id="..."`, `uri="..."` or `emailAddress="..."`
// grantees separated by commas; the grants it makes, or S3's error.
Status ParseGrantHeader(const char* name, const std::string& value, s3api::Permission permission,
                        std::vector<s3api::Grant>* out) {
  auto unrecognized = [&] { return errors::BadArgument("Argument format not recognized", name, value); };
  size_t pos = 0;
  do {
    size_t comma = value.find(',', pos);
    std::string_view item = Trim(std::string_view(value).substr(pos, comma == std::string::npos ? comma : comma - pos));
    pos = comma == std::string::npos ? comma : comma + 1;
    size_t eq = item.find('=');
    if (eq == std::string_view::npos) return unrecognized();
    std::string key(Trim(item.substr(0, eq)));
    std::string_view v = Trim(item.substr(eq + 1));
    if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
    std::string text(v);
    if (key == "id") {
      if (!KnownId(text)) return errors::BadArgument("Invalid id", "id", text);
      out->push_back(UserGrant(text, permission));
    } else if (key == "uri") {
      if (!KnownGroup(text)) return errors::BadArgument("Invalid group uri", "uri", text);
      out->push_back(GroupGrant(text, permission));
    } else if (key == "emailAddress") {
      return UnresolvableEmail();
    } else {
      return unrecognized();
    }
  } while (pos != std::string::npos);
  return Status::Ok();
}

Result<std::vector<s3api::Grant>> HeaderGrants(const AclInput& in) {
  std::vector<s3api::Grant> grants;
  for (const auto& [name, member] : GrantHeaders(in))
    if (*member.first) CK_RETURN_IF_ERROR(ParseGrantHeader(name, **member.first, member.second, &grants));
  return grants;
}

// The body's shape: an owner with an ID, and grants each with a known
// permission and a grantee of a known type carrying its identifier.
bool WellFormed(const s3api::AccessControlPolicy& body) {
  if (!body.owner || !body.owner->id) return false;
  for (const auto& g : body.grants.value_or(std::vector<s3api::Grant>{})) {
    if (!g.permission || !g.permission->known() || !g.grantee || !g.grantee->type.known()) return false;
    const s3api::Grantee& who = *g.grantee;
    if (who.type == s3api::Type::kCanonicalUser && !who.id) return false;
    if (who.type == s3api::Type::kGroup && !who.uri) return false;
    if (who.type == s3api::Type::kAmazonCustomerByEmail && !who.email_address) return false;
  }
  return true;
}

Status CheckBody(const s3api::AccessControlPolicy& body) {
  if (!WellFormed(body)) return errors::MalformedAcl();
  if (!KnownId(*body.owner->id)) return errors::BadArgument("Invalid id", "CanonicalUser/ID", *body.owner->id);
  for (const auto& g : body.grants.value_or(std::vector<s3api::Grant>{})) {
    const s3api::Grantee& who = *g.grantee;
    if (who.type == s3api::Type::kCanonicalUser && !KnownId(*who.id))
      return errors::BadArgument("Invalid id", "CanonicalUser/ID", *who.id);
    if (who.type == s3api::Type::kGroup && !KnownGroup(*who.uri))
      return errors::BadArgument("Invalid group uri", "Group/URI", *who.uri);
    if (who.type == s3api::Type::kAmazonCustomerByEmail) return UnresolvableEmail();
  }
  return Status::Ok();
}

// The body's grants as S3 keeps them: type and identifier only.
std::vector<s3api::Grant> BodyGrants(const s3api::AccessControlPolicy& body) {
  std::vector<s3api::Grant> out;
  for (const auto& g : body.grants.value_or(std::vector<s3api::Grant>{})) {
    s3api::Permission p = g.permission->value();
    out.push_back(g.grantee->type == s3api::Type::kGroup ? GroupGrant(*g.grantee->uri, p)
                                                         : UserGrant(*g.grantee->id, p));
  }
  return out;
}

uint8_t BitsOf(const s3api::Grant& g) {
  if (!g.permission) return 0;
  switch (g.permission->value()) {
    case s3api::Permission::kFullControl:
      return kFullControl;
    case s3api::Permission::kRead:
      return kRead;
    case s3api::Permission::kWrite:
      return kWrite;
    case s3api::Permission::kReadAcp:
      return kReadAcp;
    case s3api::Permission::kWriteAcp:
      return kWriteAcp;
    default:
      return 0;
  }
}

}  // namespace

bool KnownCanned(std::string_view name) {
  for (auto n : kCannedNames)
    if (n == name) return true;
  return false;
}

Status Validate(const AclInput& in, bool required) {
  if (in.canned && !KnownCanned(*in.canned))
    return errors::InvalidArgument("").WithField("ArgumentName", "x-amz-acl").WithField("ArgumentValue", *in.canned);
  if (in.canned && in.has_grant_headers())
    return errors::InvalidRequest("Specifying both Canned ACLs and Header Grants is not allowed");
  if (in.body && (in.canned || in.has_grant_headers()))
    return errors::UnexpectedContent("This request does not support content");
  CK_RETURN_IF_ERROR(HeaderGrants(in).status());
  if (in.body) CK_RETURN_IF_ERROR(CheckBody(*in.body));
  if (required && in.empty())
    return errors::MissingSecurityHeader("Your request was missing a required header")
        .WithField("MissingHeaderName", "x-amz-acl");
  return Status::Ok();
}

s3api::AccessControlPolicy OwnerOnly(const std::string& owner) {
  s3api::AccessControlPolicy p;
  p.owner.emplace().id = CanonicalId(owner);
  p.grants.emplace().push_back(UserGrant(CanonicalId(owner), s3api::Permission::kFullControl));
  return p;
}

s3api::AccessControlPolicy Canned(std::string_view name, const AclOwners& owners) {
  s3api::AccessControlPolicy p = OwnerOnly(owners.owner);
  auto& g = *p.grants;
  if (name == "public-read" || name == "public-read-write")
    g.push_back(GroupGrant(kAllUsers, s3api::Permission::kRead));
  if (name == "public-read-write") g.push_back(GroupGrant(kAllUsers, s3api::Permission::kWrite));
  if (name == "authenticated-read") g.push_back(GroupGrant(kAuthenticatedUsers, s3api::Permission::kRead));
  if (name == "aws-exec-read") g.push_back(UserGrant(kEc2BundleReader, s3api::Permission::kRead));
  if (name == "log-delivery-write") {
    g.push_back(GroupGrant(kLogDelivery, s3api::Permission::kWrite));
    g.push_back(GroupGrant(kLogDelivery, s3api::Permission::kReadAcp));
  }
  // The bucket-owner ACLs name the bucket's owner on an object another
  // account owns; on a bucket (or the owner's own object) they are private.
  if (!owners.bucket && owners.bucket_owner != owners.owner) {
    if (name == "bucket-owner-read") g.push_back(UserGrant(CanonicalId(owners.bucket_owner), s3api::Permission::kRead));
    if (name == "bucket-owner-full-control")
      g.push_back(UserGrant(CanonicalId(owners.bucket_owner), s3api::Permission::kFullControl));
  }
  return p;
}

Result<std::optional<s3api::AccessControlPolicy>> Resolve(const AclInput& in, const AclOwners& owners) {
  using Out = std::optional<s3api::AccessControlPolicy>;
  if (in.canned) return Out(Canned(*in.canned, owners));
  s3api::AccessControlPolicy p;
  p.owner.emplace().id = CanonicalId(owners.owner);
  if (in.has_grant_headers()) {
    CK_ASSIGN_OR_RETURN(p.grants, HeaderGrants(in));
    return Out(std::move(p));
  }
  if (in.body) {
    p.grants = BodyGrants(*in.body);
    return Out(std::move(p));
  }
  return Out();
}

bool OwnerFullControlOnly(const s3api::AccessControlPolicy& acl, const std::string& owner) {
  for (const auto& g : acl.grants.value_or(std::vector<s3api::Grant>{}))
    if (BitsOf(g) != kFullControl || !g.grantee || g.grantee->id != CanonicalId(owner)) return false;
  return true;
}

bool IsPublic(const s3api::AccessControlPolicy& acl) {
  for (const auto& g : acl.grants.value_or(std::vector<s3api::Grant>{}))
    if (g.grantee && g.grantee->uri && (*g.grantee->uri == kAllUsers || *g.grantee->uri == kAuthenticatedUsers))
      return true;
  return false;
}

Granted GrantedTo(const s3api::AccessControlPolicy& acl, const std::string& account, bool ignore_public) {
  Granted out;
  for (const auto& g : acl.grants.value_or(std::vector<s3api::Grant>{})) {
    if (!g.grantee) continue;
    if (g.grantee->id) {
      if (!account.empty() && AccountOfCanonicalId(*g.grantee->id) == account) out.account |= BitsOf(g);
    } else if (g.grantee->uri && !ignore_public) {
      const std::string& uri = *g.grantee->uri;
      if (uri == kAllUsers || (uri == kAuthenticatedUsers && !account.empty())) out.group |= BitsOf(g);
    }
  }
  return out;
}

std::optional<Need> NeedFor(std::string_view action) {
  static const std::array<std::pair<std::string_view, Need>, 14> kTable = {{
      {"s3:ListBucket", {kRead, false}},
      {"s3:ListBucketVersions", {kRead, false}},
      {"s3:ListBucketMultipartUploads", {kRead, false}},
      {"s3:PutObject", {kWrite, false}},
      {"s3:DeleteObject", {kWrite, false}},
      {"s3:GetBucketAcl", {kReadAcp, false}},
      {"s3:PutBucketAcl", {kWriteAcp, false}},
      {"s3:GetObject", {kRead, true}},
      {"s3:GetObjectVersion", {kRead, true}},
      {"s3:GetObjectAcl", {kReadAcp, true}},
      {"s3:GetObjectVersionAcl", {kReadAcp, true}},
      {"s3:PutObjectAcl", {kWriteAcp, true}},
      {"s3:PutObjectVersionAcl", {kWriteAcp, true}},
      {"s3:GetObjectTorrent", {kRead, true}},
  }};
  for (const auto& [name, need] : kTable)
    if (name == action) return need;
  return std::nullopt;
}

}  // namespace ck::services::s3::acl
