#include "server/seed_resources.h"

#include "core/principal.h"

namespace ck::server {

namespace {

Status SeedKey(const KeyConfig& k, const std::string& region, services::kms::KmsEngine& kms) {
  services::KmsCaller caller;
  caller.principal = Principal::Root(k.account);
  caller.region = region;
  caller.source_ip = "127.0.0.1";
  caller.user_agent = "crosskey-config";
  // Already there from an earlier start: the alias names it.
  auto existing = kms.DescribeKey(k.alias, caller);
  if (existing.ok()) return Status::Ok();
  if (existing.status().code() != Code::kNotFound) return existing.status();
  api::kms::CreateKeyRequest create;
  create.key_spec = EnumValue<api::kms::KeySpec>::Parse(k.key_spec);
  create.key_usage = EnumValue<api::kms::KeyUsageType>::Parse(k.key_usage);
  if (!k.description.empty()) create.description = k.description;
  if (!k.policy.empty()) create.policy = k.policy;
  CK_ASSIGN_OR_RETURN(auto created, kms.CreateKey(create, caller));
  api::kms::CreateAliasRequest alias;
  alias.alias_name = k.alias;
  alias.target_key_id = created.key_metadata->key_id;
  return kms.CreateAlias(alias, caller).status();
}

Status SeedBucket(const BucketConfig& b, const std::string& region, services::StreamingService& s3) {
  http::RequestHead head;
  head.method = "PUT";
  http::ParseTarget("/" + b.name, &head);
  head.headers.Add("host", "127.0.0.1");
  std::string body;
  if (region != "us-east-1") {
    body = "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"><LocationConstraint>" +
           region + "</LocationConstraint></CreateBucketConfiguration>";
  }
  head.content_length = body.size();
  head.request_id = "crosskey-config";
  services::RequestContext ctx;
  ctx.principal = Principal::Root(b.account);
  ctx.region = region;
  ctx.request_id = head.request_id;
  ctx.service = "s3";
  ctx.source_ip = "127.0.0.1";
  ctx.head = &head;
  ctx.body = std::make_shared<services::BodyInfo>();
  ctx.body->content_length = body.size();
  auto sink = s3.Begin(std::move(ctx));
  if (!body.empty() && sink->wants_body()) CK_RETURN_IF_ERROR(sink->Write(body));
  http::Response r = sink->Finish();
  if (r.status == 200 || r.error_code == "BucketAlreadyOwnedByYou") return Status::Ok();
  // S3's own error, said in the config's terms: which entry, which field.
  std::string field = "name";
  if (r.error_code.find("LocationConstraint") != std::string::npos) field = "region";
  std::string what = r.error_code.empty() ? "S3 answered " + std::to_string(r.status) : r.error_code;
  if (r.error_code == "BucketAlreadyExists")
    return InvalidArgument(b.origin.Where(field) + ": BucketAlreadyExists: bucket " + b.name +
                           " exists and belongs to another account");
  return InvalidArgument(b.origin.Where(field) + ": " + what + (r.error_message.empty() ? "" : ": " + r.error_message));
}

}  // namespace

Status SeedKeysAndBuckets(const Config& config, const std::string& default_region, services::kms::KmsEngine& kms,
                          services::StreamingService& s3) {
  for (const auto& k : config.keys) {
    Status s = SeedKey(k, k.region.empty() ? default_region : k.region, kms);
    if (!s.ok())
      return InvalidArgument(k.origin.Where() + ": " + (s.aws_code().empty() ? "" : s.aws_code() + ": ") + s.message());
  }
  for (const auto& b : config.buckets) CK_RETURN_IF_ERROR(SeedBucket(b, b.region.empty() ? default_region : b.region, s3));
  return Status::Ok();
}

}  // namespace ck::server
