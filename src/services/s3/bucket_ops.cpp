// Bucket operations: create/delete/list/head/location and the bucket
// sub-resources (policy, tagging, CORS, public access block, ownership,
// versioning, ACL, default encryption), plus CORS preflight.
#include <algorithm>
#include <cctype>
#include <set>

#include "base/codec.h"
#include "base/json_depth.h"
#include "core/iam/wildcard.h"
#include "services/s3/s3_internal.h"
#include "wire/errors.h"
#include "storage/key_codec.h"
#include "storage/scan_range.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

constexpr char kOwnerIndex[] = "s3.bucket_owners";  // part(account) part(bucket) → ""

bool ValidBucketName(const std::string& n) {
  if (n.size() < 3 || n.size() > 63) return false;
  for (char ch : n)
    if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '.' ||
          ch == '-'))
      return false;
  auto alnum = [](char ch) { return std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)); };
  if (!alnum(n.front()) || !alnum(n.back())) return false;
  if (n.find("..") != std::string::npos || n.find(".-") != std::string::npos || n.find("-.") != std::string::npos)
    return false;
  if (StartsWith(n, "xn--") || StartsWith(n, "sthree-") || EndsWith(n, "-s3alias") || EndsWith(n, "--ol-s3"))
    return false;
  int dots = 0;
  bool digits_only = true;
  for (char ch : n) {
    if (ch == '.') ++dots;
    else if (!std::isdigit(static_cast<unsigned char>(ch))) digits_only = false;
  }
  return !(dots == 3 && digits_only);  // looks like an IP address
}

bool ValidRegionName(const std::string& r) {
  if (r.empty() || r.size() > 32) return false;
  for (char ch : r)
    if (!(std::islower(static_cast<unsigned char>(ch)) || std::isdigit(static_cast<unsigned char>(ch)) || ch == '-'))
      return false;
  return r.find('-') != std::string::npos;
}

std::string Action(const std::string& op) {
  static const std::map<std::string, std::string> kMap = {
      {"GetBucketCors", "s3:GetBucketCORS"},
      {"PutBucketCors", "s3:PutBucketCORS"},
      {"DeleteBucketCors", "s3:PutBucketCORS"},
      {"DeleteBucketTagging", "s3:PutBucketTagging"},
      {"GetPublicAccessBlock", "s3:GetBucketPublicAccessBlock"},
      {"PutPublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
      {"DeletePublicAccessBlock", "s3:PutBucketPublicAccessBlock"},
      {"DeleteBucketOwnershipControls", "s3:PutBucketOwnershipControls"},
      {"GetBucketEncryption", "s3:GetEncryptionConfiguration"},
      {"PutBucketEncryption", "s3:PutEncryptionConfiguration"},
      {"DeleteBucketEncryption", "s3:PutEncryptionConfiguration"},
      {"HeadBucket", "s3:ListBucket"},
  };
  auto it = kMap.find(op);
  return it != kMap.end() ? it->second : "s3:" + op;
}

http::Response NoContent() {
  http::Response r;
  r.status = 204;
  return r;
}

Status NotFoundConfig(const std::string& code, const std::string& message, const std::string& bucket) {
  return AwsError(code, 404, message).WithField("BucketName", bucket);
}

// Whether a policy grants anything to everyone without conditions.
bool IsPublicPolicy(const std::string& text) {
  try {
    json doc = json::parse(text);
    json stmts = doc.value("Statement", json::array());
    if (stmts.is_object()) stmts = json::array({stmts});
    for (const auto& s : stmts) {
      if (s.value("Effect", "") != "Allow" || !s.contains("Principal") || s.contains("Condition")) continue;
      const json& p = s["Principal"];
      if (p == "*" || (p.is_object() && p.contains("AWS") &&
                       (p["AWS"] == "*" || (p["AWS"].is_array() && std::find(p["AWS"].begin(), p["AWS"].end(), "*") != p["AWS"].end()))))
        return true;
    }
  } catch (const std::exception&) {
  }
  return false;
}

Status ValidatePolicy(S3Service& s, const std::string& bucket, const std::string& text) {
  std::string_view t = Trim(text);
  if (t.empty() || t.front() != '{')
    return AwsError("MalformedPolicy", 400, "Policies must be valid JSON and the first byte must be '{'");
  // Deeper than any policy: refused as the policy parser refuses it, before
  // a tree is built (megabytes of brackets take hundreds of megabytes).
  if (JsonNestingDepth(text, 32) > 32) return AwsError("MalformedPolicy", 400, "Syntax errors in policy.");
  json doc;
  try {
    doc = json::parse(text);
  } catch (const std::exception&) {
    return AwsError("MalformedPolicy", 400, "This policy contains invalid Json");
  }
  auto parsed = s.authorizer().Parse(text, core::iam::PolicyKind::kResource);
  if (!parsed.ok()) return AwsError("MalformedPolicy", 400, parsed.status().message());
  json stmts = doc.value("Statement", json::array());
  if (stmts.is_object()) stmts = json::array({stmts});
  for (const auto& st : stmts) {
    json res = st.contains("Resource") ? st["Resource"] : st.value("NotResource", json());
    if (res.is_string()) res = json::array({res});
    if (!res.is_array()) continue;
    for (const auto& r : res) {
      std::string v = r.is_string() ? r.get<std::string>() : "";
      if (v == "*") continue;
      std::string prefix = "arn:aws:s3:::";
      std::string rest = StartsWith(v, prefix) ? v.substr(prefix.size()) : "";
      std::string bucket_part = rest.substr(0, rest.find('/'));
      if (rest.empty() || !core::iam::GlobMatch(bucket_part, bucket))
        return AwsError("MalformedPolicy", 400, "Policy has invalid resource");
    }
  }
  return Status::Ok();
}

bool CorsMatch(const json& rule, const std::string& origin, const std::string& method,
               const std::vector<std::string>& req_headers) {
  bool origin_ok = false;
  for (const auto& o : rule.value("AllowedOrigins", json::array()))
    if (core::iam::GlobMatch(o.get<std::string>(), origin)) origin_ok = true;
  if (!origin_ok) return false;
  bool method_ok = false;
  for (const auto& m : rule.value("AllowedMethods", json::array()))
    if (m.get<std::string>() == method) method_ok = true;
  if (!method_ok) return false;
  for (const auto& h : req_headers) {
    bool ok = false;
    for (const auto& a : rule.value("AllowedHeaders", json::array()))
      if (core::iam::GlobMatch(ToLower(a.get<std::string>()), h, true)) ok = true;
    if (!ok) return false;
  }
  return true;
}

std::string Join(const json& arr, const char* sep) {
  std::string out;
  for (const auto& v : arr) out += (out.empty() ? "" : sep) + v.get<std::string>();
  return out;
}

void SetCorsHeaders(const json& rule, const std::string& origin, http::Response* r) {
  bool any = false;
  for (const auto& o : rule.value("AllowedOrigins", json::array()))
    if (o == "*") any = true;
  r->headers.Set("Access-Control-Allow-Origin", any ? "*" : origin);
  r->headers.Set("Access-Control-Allow-Methods", Join(rule.value("AllowedMethods", json::array()), ", "));
  if (!any) r->headers.Set("Access-Control-Allow-Credentials", "true");
  if (rule.contains("ExposeHeaders")) r->headers.Set("Access-Control-Expose-Headers", Join(rule["ExposeHeaders"], ", "));
  if (rule.contains("MaxAgeSeconds")) r->headers.Set("Access-Control-Max-Age", std::to_string(rule["MaxAgeSeconds"].get<int>()));
  r->headers.Set("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method");
}

json DefaultEncryption() {
  return {{"Rules", json::array({{{"ApplyServerSideEncryptionByDefault", {{"SSEAlgorithm", "AES256"}}},
                                  {"BucketKeyEnabled", false}}})}};
}

}  // namespace

Result<http::Response> ListBuckets(S3Service& s, Call& c) {
  const Principal& p = c.principal();
  if (p.is_anonymous()) return AccessDeniedPlain();
  AuthzRequest r;
  r.principal = &p;
  r.action = "s3:ListAllMyBuckets";
  r.resource = "*";
  r.region = c.ctx.region;
  r.source_ip = c.ctx.source_ip;
  CK_ASSIGN_OR_RETURN(auto decision, s.authorizer().Authorize(r));
  if (!decision.allowed()) return AccessDeniedFor(decision, "AccessDenied", 403);
  std::string prefix = c.In("Prefix");
  int max = c.input.value("MaxBuckets", 10000);
  if (max < 1 || max > 10000) return InvalidArgument("Argument max-buckets must be an integer between 1 and 10000.", "max-buckets", std::to_string(max));
  std::string base = storage::KeyPart(p.account);
  storage::ScanOptions opts{.prefix = base + storage::KeyPrefix(prefix), .limit = static_cast<size_t>(max) + 1};
  std::string token = c.In("ContinuationToken");
  if (!token.empty()) opts.start_after = base + storage::KeyPart(token);
  CK_ASSIGN_OR_RETURN(auto rows, s.meta().Scan(kOwnerIndex, opts));
  json buckets = json::array();
  std::string last;
  for (size_t i = 0; i < rows.size() && i < static_cast<size_t>(max); ++i) {
    storage::KeyReader kr(rows[i].key);
    std::string acct, name;
    kr.ReadPart(&acct);
    kr.ReadPart(&name);
    auto b = LoadBucket(s, name);
    if (!b.ok()) continue;
    std::string region_filter = c.In("BucketRegion");
    if (!region_filter.empty() && b->region != region_filter) continue;
    buckets.push_back({{"Name", name}, {"CreationDate", b->created}, {"BucketRegion", b->region}});
    last = name;
  }
  json out = {{"Buckets", buckets}, {"Owner", OwnerJson(p.account)}};
  if (rows.size() > static_cast<size_t>(max)) out["ContinuationToken"] = last;
  if (!prefix.empty()) out["Prefix"] = prefix;
  return Encode(c, out);
}

Result<http::Response> CreateBucket(S3Service& s, Call& c) {
  const Principal& p = c.principal();
  if (p.is_anonymous()) return AccessDeniedPlain();
  const std::string& name = c.bucket;
  if (!ValidBucketName(name))
    return AwsError("InvalidBucketName", 400, "The specified bucket is not valid.").WithField("BucketName", name);
  // Object Lock is not implemented: a bucket created with it enabled would
  // silently lack the protection it promises.
  if (c.input.value("ObjectLockEnabledForBucket", false)) return wire::S3NotImplemented();
  std::string endpoint_region = c.ctx.region.empty() ? s.options().region : c.ctx.region;
  std::string constraint;
  if (c.input.contains("CreateBucketConfiguration"))
    constraint = c.input["CreateBucketConfiguration"].value("LocationConstraint", "");
  std::string region;
  if (endpoint_region == "us-east-1") {
    if (constraint == "us-east-1")
      return AwsError("InvalidLocationConstraint", 400, "The specified location-constraint is not valid")
          .WithField("LocationConstraint", constraint);
    region = constraint.empty() ? "us-east-1" : constraint;
    if (constraint == "EU") region = "eu-west-1";
  } else if (constraint.empty()) {
    return AwsError("IllegalLocationConstraintException", 400,
                    "The unspecified location constraint is incompatible for the region specific endpoint this "
                    "request was sent to.");
  } else if (constraint != endpoint_region) {
    return AwsError("IllegalLocationConstraintException", 400,
                    "The " + constraint +
                        " location constraint is incompatible for the region specific endpoint this request was "
                        "sent to.");
  } else {
    region = constraint;
  }
  if (!ValidRegionName(region))
    return AwsError("InvalidLocationConstraint", 400, "The specified location-constraint is not valid")
        .WithField("LocationConstraint", constraint);

  AuthzRequest r;
  r.principal = &p;
  r.action = "s3:CreateBucket";
  r.resource = "arn:aws:s3:::" + name;
  r.region = c.ctx.region;
  r.source_ip = c.ctx.source_ip;
  CK_ASSIGN_OR_RETURN(auto decision, s.authorizer().Authorize(r));
  if (!decision.allowed()) return AccessDeniedFor(decision, "AccessDenied", 403);

  BucketRecord b;
  b.name = name;
  b.owner = p.account;
  b.region = region;
  b.created = ToEpochSeconds(s.clock().Now());
  std::string ownership = c.Header("x-amz-object-ownership");
  if (!ownership.empty()) {
    if (ownership != "BucketOwnerEnforced" && ownership != "BucketOwnerPreferred" && ownership != "ObjectWriter")
      return InvalidArgument("Invalid x-amz-object-ownership header: " + ownership, "x-amz-object-ownership", ownership);
    b.ownership = ownership;
  }
  std::string acl = c.Header("x-amz-acl");
  if (b.ownership == "BucketOwnerEnforced" && !acl.empty() && acl != "private" &&
      acl != "bucket-owner-full-control")
    return AwsError("InvalidBucketAclWithObjectOwnership", 400,
                    "Bucket cannot have ACLs set with ObjectOwnership's BucketOwnerEnforced setting");
  b.public_access_block = json{{"BlockPublicAcls", true}, {"IgnorePublicAcls", true}, {"BlockPublicPolicy", true},
                               {"RestrictPublicBuckets", true}};

  CK_ASSIGN_OR_RETURN(auto existing, s.meta().Get(kBucketsTable, name));
  if (existing) {
    CK_ASSIGN_OR_RETURN(auto cur, BucketRecord::FromJson(*existing));
    if (cur.owner != p.account)
      return AwsError("BucketAlreadyExists", 409,
                      "The requested bucket name is not available. The bucket namespace is shared by all users of "
                      "the system. Please select a different name and try again.")
          .WithField("BucketName", name);
    if (cur.region == "us-east-1" && endpoint_region == "us-east-1") {
      http::Response ok;  // us-east-1 answers 200 to its owner (legacy behaviour)
      ok.headers.Set("Location", "/" + name);
      return ok;
    }
    return AwsError("BucketAlreadyOwnedByYou", 409,
                    "Your previous request to create the named bucket succeeded and you already own it.")
        .WithField("BucketName", name);
  }
  storage::WriteBatch batch;
  batch.ExpectAbsent(kBucketsTable, name);
  batch.Put(kBucketsTable, name, b.ToJson().dump());
  std::string idx = storage::KeyPart(p.account);
  storage::AppendKeyPart(&idx, name);
  batch.Put(kOwnerIndex, idx, "");
  Status st = s.meta().Apply(batch);
  s.buckets().Changed();
  if (storage::IsPreconditionFailure(st))
    return AwsError("OperationAborted", 409,
                    "A conflicting conditional operation is currently in progress against this resource. Please try "
                    "again.");
  CK_RETURN_IF_ERROR(st);
  http::Response resp;
  resp.headers.Set("Location", "/" + name);
  return resp;
}

Result<http::Response> DeleteBucket(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:DeleteBucket", ""));
  for (const char* table : {kVersionsTable, kObjectsTable, kUploadsTable}) {
    CK_ASSIGN_OR_RETURN(auto any, s.meta().Scan(table, {.prefix = storage::KeyPart(b.name), .limit = 1}));
    if (!any.empty() && table != std::string(kUploadsTable))
      return AwsError("BucketNotEmpty", 409, "The bucket you tried to delete is not empty")
          .WithField("BucketName", b.name);
  }
  // Abandoned multipart uploads go with the bucket.
  for (;;) {
    CK_ASSIGN_OR_RETURN(auto ups, s.meta().Scan(kUploadsTable, {.prefix = storage::KeyPart(b.name), .limit = 100}));
    if (ups.empty()) break;
    for (const auto& u : ups) {
      auto rec = UploadRecord::FromJson(u.value);
      storage::WriteBatch batch;
      batch.Delete(kUploadsTable, u.key);
      if (rec.ok()) {
        CK_ASSIGN_OR_RETURN(auto parts, s.meta().Scan(kPartsTable, {.prefix = PartsPrefix(rec->upload_id), .limit = 10001}));
        for (const auto& pr : parts) {
          batch.Delete(kPartsTable, pr.key);
          if (auto part = PartRecord::FromJson(pr.value); part.ok()) (void)s.blobs().Delete(part->segment.blob);
        }
      }
      CK_RETURN_IF_ERROR(s.meta().Apply(batch));
    }
  }
  storage::WriteBatch batch;
  batch.Delete(kBucketsTable, b.name);
  std::string idx = storage::KeyPart(b.owner);
  storage::AppendKeyPart(&idx, b.name);
  batch.Delete(kOwnerIndex, idx);
  Status st = s.meta().Apply(batch);
  s.buckets().Changed();
  CK_RETURN_IF_ERROR(st);
  return NoContent();
}

Result<http::Response> HeadBucket(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:ListBucket", ""));
  return Encode(c, {{"BucketRegion", b.region}, {"AccessPointAlias", false}});
}

Result<http::Response> GetBucketLocation(S3Service& s, Call& c) {
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, "s3:GetBucketLocation", ""));
  json out = json::object();
  if (b.region != "us-east-1") out["LocationConstraint"] = b.region;
  return Encode(c, out);
}

// Configurations crosskey does not implement (lifecycle, website, replication,
// object lock, logging, acceleration, request payment, notifications): their
// PUT operations answer 501, so no bucket ever has one, and reading or
// deleting them answers exactly what AWS answers for a bucket without one.
// Tools that read every bucket setting (Terraform, CDK, the console's SDK
// calls) then work; nothing pretends to store a setting.
Result<http::Response> UnconfiguredBucketConfig(S3Service& s, Call& c) {
  struct Answer {
    const char* action;
    const char* code;     // 404 error code; nullptr: a 200/204 answer
    const char* message;
  };
  // Error texts: the S3 error-code list of the S3 API reference.
  static const std::map<std::string, Answer> kAnswers = {
      {"GetBucketLifecycleConfiguration",
       {"s3:GetLifecycleConfiguration", "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"}},
      {"GetBucketLifecycle",
       {"s3:GetLifecycleConfiguration", "NoSuchLifecycleConfiguration", "The lifecycle configuration does not exist"}},
      {"DeleteBucketLifecycle", {"s3:PutLifecycleConfiguration", nullptr, nullptr}},
      {"GetBucketWebsite",
       {"s3:GetBucketWebsite", "NoSuchWebsiteConfiguration",
        "The specified bucket does not have a website configuration"}},
      {"DeleteBucketWebsite", {"s3:DeleteBucketWebsite", nullptr, nullptr}},
      {"GetBucketReplication",
       {"s3:GetReplicationConfiguration", "ReplicationConfigurationNotFoundError",
        "The replication configuration was not found"}},
      {"DeleteBucketReplication", {"s3:PutReplicationConfiguration", nullptr, nullptr}},
      {"GetObjectLockConfiguration",
       {"s3:GetBucketObjectLockConfiguration", "ObjectLockConfigurationNotFoundError",
        "Object Lock configuration does not exist for this bucket"}},
      {"GetBucketLogging", {"s3:GetBucketLogging", nullptr, nullptr}},
      {"GetBucketAccelerateConfiguration", {"s3:GetAccelerateConfiguration", nullptr, nullptr}},
      {"GetBucketRequestPayment", {"s3:GetBucketRequestPayment", nullptr, nullptr}},
      {"GetBucketNotificationConfiguration", {"s3:GetBucketNotification", nullptr, nullptr}},
  };
  const std::string& op = c.op->name;
  auto it = kAnswers.find(op);
  if (it == kAnswers.end()) return wire::S3NotImplemented();
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, it->second.action, ""));
  if (it->second.code) return NotFoundConfig(it->second.code, it->second.message, b.name);
  if (op.starts_with("Delete")) return NoContent();
  if (op == "GetBucketRequestPayment") return Encode(c, {{"Payer", "BucketOwner"}});
  return Encode(c, json::object());  // an empty BucketLoggingStatus / AccelerateConfiguration / NotificationConfiguration
}

Result<http::Response> BucketConfig(S3Service& s, Call& c) {
  const std::string op = c.op->name;
  CK_ASSIGN_OR_RETURN(auto b, LoadBucket(s, c.bucket));
  CK_RETURN_IF_ERROR(Authorize(s, c, b, Action(op), ""));
  const std::string& name = b.name;

  if (op == "GetBucketPolicy") {
    if (!b.policy) return NotFoundConfig("NoSuchBucketPolicy", "The bucket policy does not exist", name);
    return Encode(c, {{"Policy", *b.policy}});
  }
  if (op == "PutBucketPolicy") {
    std::string text = c.In("Policy");
    CK_RETURN_IF_ERROR(ValidatePolicy(s, name, text));
    if (b.public_access_block && b.public_access_block->value("BlockPublicPolicy", false) && IsPublicPolicy(text))
      return AwsError("AccessDenied", 403,
                      "User: " + c.principal().arn + " is not authorized to perform: s3:PutBucketPolicy on resource: \"arn:aws:s3:::" + name +
                          "\" because public policies are blocked by the BlockPublicPolicy block public access setting.");
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.policy = text; return Status::Ok(); }));
    return NoContent();
  }
  if (op == "DeleteBucketPolicy") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.policy.reset(); return Status::Ok(); }));
    return NoContent();
  }
  if (op == "GetBucketPolicyStatus") {
    if (!b.policy) return NotFoundConfig("NoSuchBucketPolicy", "The bucket policy does not exist", name);
    return Encode(c, {{"PolicyStatus", {{"IsPublic", IsPublicPolicy(*b.policy)}}}});
  }
  if (op == "GetBucketTagging") {
    if (!b.tags) return NotFoundConfig("NoSuchTagSet", "The TagSet does not exist", name);
    return Encode(c, {{"TagSet", *b.tags}});
  }
  if (op == "PutBucketTagging") {
    json tags = c.input.value("Tagging", json::object()).value("TagSet", json::array());
    std::set<std::string> seen;
    for (const auto& t : tags)
      if (!seen.insert(t.value("Key", "")).second)
        return InvalidRequest("Cannot provide multiple Tags with the same key");
    if (tags.size() > 50) return AwsError("BadRequest", 400, "Bucket tag count cannot be greater than 50");
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.tags = tags; return Status::Ok(); }));
    return NoContent();
  }
  if (op == "DeleteBucketTagging") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.tags.reset(); return Status::Ok(); }));
    return NoContent();
  }
  if (op == "GetBucketCors") {
    if (!b.cors) return NotFoundConfig("NoSuchCORSConfiguration", "The CORS configuration does not exist", name);
    return Encode(c, {{"CORSRules", *b.cors}});
  }
  if (op == "PutBucketCors") {
    json rules = c.input.value("CORSConfiguration", json::object()).value("CORSRules", json::array());
    if (rules.empty()) return wire::MalformedXml();
    for (const auto& rule : rules)
      for (const auto& m : rule.value("AllowedMethods", json::array())) {
        std::string method = m.get<std::string>();
        if (method != "GET" && method != "PUT" && method != "POST" && method != "DELETE" && method != "HEAD")
          return InvalidRequest("Found unsupported HTTP method in CORS config. Unsupported method is " + method);
      }
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.cors = rules; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "DeleteBucketCors") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.cors.reset(); return Status::Ok(); }));
    return NoContent();
  }
  if (op == "GetPublicAccessBlock") {
    if (!b.public_access_block)
      return NotFoundConfig("NoSuchPublicAccessBlockConfiguration",
                            "The public access block configuration was not found", name);
    return Encode(c, {{"PublicAccessBlockConfiguration", *b.public_access_block}});
  }
  if (op == "PutPublicAccessBlock") {
    json cfg = c.input.value("PublicAccessBlockConfiguration", json::object());
    json norm = json::object();
    for (const char* k : {"BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"})
      norm[k] = cfg.value(k, false);
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.public_access_block = norm; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "DeletePublicAccessBlock") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.public_access_block.reset(); return Status::Ok(); }));
    return NoContent();
  }
  if (op == "GetBucketOwnershipControls") {
    if (b.ownership.empty())
      return NotFoundConfig("OwnershipControlsNotFoundError", "The bucket ownership controls were not found", name);
    return Encode(c, {{"OwnershipControls", {{"Rules", json::array({{{"ObjectOwnership", b.ownership}}})}}}});
  }
  if (op == "PutBucketOwnershipControls") {
    json rules = c.input.value("OwnershipControls", json::object()).value("Rules", json::array());
    if (rules.size() != 1) return wire::MalformedXml();
    std::string v = rules[0].value("ObjectOwnership", "");
    if (v != "BucketOwnerEnforced" && v != "BucketOwnerPreferred" && v != "ObjectWriter") return wire::MalformedXml();
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.ownership = v; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "DeleteBucketOwnershipControls") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.ownership.clear(); return Status::Ok(); }));
    return NoContent();
  }
  if (op == "GetBucketVersioning") {
    json out = json::object();
    if (!b.versioning.empty()) out["Status"] = b.versioning;
    return Encode(c, out);
  }
  if (op == "PutBucketVersioning") {
    std::string status = c.input.value("VersioningConfiguration", json::object()).value("Status", "");
    if (status != "Enabled" && status != "Suspended") return wire::MalformedXml();
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.versioning = status; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "GetBucketAcl") {
    if (b.acl) return Encode(c, *b.acl);
    json grant = {{"Grantee", {{"ID", CanonicalId(b.owner)}, {"Type", "CanonicalUser"}}}, {"Permission", "FULL_CONTROL"}};
    return Encode(c, {{"Owner", OwnerJson(b.owner)}, {"Grants", json::array({grant})}});
  }
  if (op == "PutBucketAcl") {
    std::string acl = c.Header("x-amz-acl");
    json policy = c.input.value("AccessControlPolicy", json());
    if (b.ownership == "BucketOwnerEnforced") {
      bool owner_only = acl.empty() || acl == "private" || acl == "bucket-owner-full-control";
      if (policy.is_object())
        for (const auto& g : policy.value("Grants", json::array()))
          if (g.value("Permission", "") != "FULL_CONTROL" || g.value("Grantee", json::object()).value("ID", "") != CanonicalId(b.owner))
            owner_only = false;
      if (!owner_only) return AwsError("AccessControlListNotSupported", 400, "The bucket does not allow ACLs");
      return http::Response{};
    }
    json stored;
    if (policy.is_object() && policy.contains("Grants")) {
      stored = policy;
      if (!stored.contains("Owner")) stored["Owner"] = OwnerJson(b.owner);
    } else {
      json grants = json::array(
          {{{"Grantee", {{"ID", CanonicalId(b.owner)}, {"Type", "CanonicalUser"}}}, {"Permission", "FULL_CONTROL"}}});
      if (acl == "public-read" || acl == "public-read-write")
        grants.push_back({{"Grantee", {{"Type", "Group"}, {"URI", "http://acs.amazonaws.com/groups/global/AllUsers"}}},
                          {"Permission", "READ"}});
      if (acl == "public-read-write")
        grants.push_back({{"Grantee", {{"Type", "Group"}, {"URI", "http://acs.amazonaws.com/groups/global/AllUsers"}}},
                          {"Permission", "WRITE"}});
      stored = {{"Owner", OwnerJson(b.owner)}, {"Grants", grants}};
    }
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.acl = stored; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "GetBucketEncryption") {
    return Encode(c, {{"ServerSideEncryptionConfiguration", b.encryption.value_or(DefaultEncryption())}});
  }
  if (op == "PutBucketEncryption") {
    // Validated, then stored and echoed verbatim. The key is not checked:
    // S3 resolves it on every write, as the requester (AWS-SEMANTICS §2.1).
    json cfg = c.input.value("ServerSideEncryptionConfiguration", json::object());
    CK_RETURN_IF_ERROR(ValidateBucketEncryption(cfg, s.sse().options().require_key_arns));
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.encryption = cfg; return Status::Ok(); }));
    return http::Response{};
  }
  if (op == "DeleteBucketEncryption") {
    CK_RETURN_IF_ERROR(UpdateBucket(s, name, [&](BucketRecord& r) { r.encryption.reset(); return Status::Ok(); }));
    return NoContent();
  }
  return AwsError("NotImplemented", 501, "A header you provided implies functionality that is not implemented");
}

Result<http::Response> Preflight(S3Service& s, Call& c) {
  std::string origin = c.Header("origin");
  std::string method = c.Header("access-control-request-method");
  if (origin.empty())
    return AwsError("BadRequest", 400, "Insufficient information. Origin request header needed.");
  if (method.empty())
    return AwsError("BadRequest", 400, "Invalid Access-Control-Request-Method: null");
  auto forbidden = [&](const std::string& message) {
    return AwsError("AccessForbidden", 403, message).WithField("Method", method).WithField("ResourceType", c.key.empty() ? "BUCKET" : "OBJECT");
  };
  auto b = LoadBucket(s, c.bucket);
  if (!b.ok()) return forbidden("CORSResponse: Bucket not found");
  if (!b->cors) return forbidden("CORSResponse: CORS is not enabled for this bucket.");
  std::vector<std::string> req_headers;
  std::string list = c.Header("access-control-request-headers");
  size_t pos = 0;
  while (pos < list.size()) {
    size_t comma = list.find(',', pos);
    std::string h = ToLower(Trim(list.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos)));
    if (!h.empty()) req_headers.push_back(h);
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  for (const auto& rule : *b->cors) {
    if (!CorsMatch(rule, origin, method, req_headers)) continue;
    http::Response r;
    SetCorsHeaders(rule, origin, &r);
    if (!list.empty()) r.headers.Set("Access-Control-Allow-Headers", ToLower(list));
    return r;
  }
  return forbidden(
      "CORSResponse: This CORS request is not allowed. This is usually because the evalution of Origin, request "
      "method / Access-Control-Request-Method or Access-Control-Request-Headers are not whitelisted by the "
      "resource's CORS spec.");
}

void ApplyCors(S3Service& s, Call& c, http::Response* r) {
  std::string origin = c.Header("origin");
  if (origin.empty() || c.bucket.empty()) return;
  auto b = LoadBucket(s, c.bucket);
  if (!b.ok() || !b->cors) return;
  for (const auto& rule : *b->cors) {
    if (!CorsMatch(rule, origin, c.head->method, {})) continue;
    SetCorsHeaders(rule, origin, r);
    return;
  }
}

}  // namespace ck::services::s3
