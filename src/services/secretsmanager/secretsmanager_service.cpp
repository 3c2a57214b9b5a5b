#include "services/secretsmanager/secretsmanager_service.h"

#include "base/codec.h"
#include "core/arn.h"
#include "core/iam/policy_document.h"
#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::services {

using nlohmann::json;

namespace {

constexpr int kSaveAttempts = 8;

std::string Str(const json& in, const char* key, const std::string& fallback = "") {
  auto it = in.find(key);
  return it != in.end() && it->is_string() ? it->get<std::string>() : fallback;
}

Status NotFoundSecret() {
  return AwsError("ResourceNotFoundException", 400, "Secrets Manager can't find the specified secret.");
}
Status InvalidRequest(const std::string& m) { return AwsError("InvalidRequestException", 400, m); }
Status InvalidParameter(const std::string& m) { return AwsError("InvalidParameterException", 400, m); }

std::string NewVersionId() {
  std::string h = HexEncode(crypto::RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-4" + h.substr(13, 3) + "-a" + h.substr(17, 3) + "-" + h.substr(20, 12);
}

double Day(double epoch) { return static_cast<double>(static_cast<int64_t>(epoch) / 86400 * 86400); }

// The value a request carries: (text, binary?) or nullopt.
std::optional<std::pair<std::string, bool>> ValueOf(const json& in) {
  if (in.contains("SecretString")) return std::pair{Str(in, "SecretString"), false};
  if (in.contains("SecretBinary")) return std::pair{Str(in, "SecretBinary"), true};
  return std::nullopt;
}

Status CheckOneValue(const json& in) {
  if (in.contains("SecretString") && in.contains("SecretBinary"))
    return InvalidParameter("You can't specify both a binary secret value and a string secret value in the same secret.");
  return Status::Ok();
}

bool IsKeyArn(const std::string& ref) { return StartsWith(ref, "arn:"); }

}  // namespace

double SecretsManagerService::Now() const {
  return static_cast<double>(static_cast<int64_t>(ToEpochSeconds(clock_.Now())));
}

KmsCaller SecretsManagerService::CallerFor(const RequestContext& ctx) const {
  return ForwardAccessCaller(ctx, "secretsmanager", ctx.region);
}

Result<json> SecretsManagerService::Invoke(std::string_view op, const json& in, RequestContext& ctx) {
  if (ctx.principal.is_anonymous())
    return AwsError("MissingAuthenticationTokenException", 400, "Missing Authentication Token");
  try {
    if (op == "CreateSecret") return CreateSecret(in, ctx);
    if (op == "PutSecretValue") return PutSecretValue(in, ctx);
    if (op == "UpdateSecret") return UpdateSecret(in, ctx);
    if (op == "GetSecretValue") return GetSecretValue(in, ctx);
    if (op == "DescribeSecret") return DescribeSecret(in, ctx);
    if (op == "DeleteSecret") return DeleteSecret(in, ctx);
    if (op == "RestoreSecret") return RestoreSecret(in, ctx);
    if (op == "ListSecrets") return ListSecrets(in, ctx);
    if (op == "ListSecretVersionIds") return ListSecretVersionIds(in, ctx);
    if (op == "UpdateSecretVersionStage") return UpdateSecretVersionStage(in, ctx);
    if (op == "TagResource") return TagResource(in, ctx, true);
    if (op == "UntagResource") return TagResource(in, ctx, false);
    if (op == "PutResourcePolicy") return PutResourcePolicy(in, ctx);
    if (op == "GetResourcePolicy") return GetResourcePolicy(in, ctx);
    if (op == "DeleteResourcePolicy") return DeleteResourcePolicy(in, ctx);
    if (op == "ValidateResourcePolicy") return ValidateResourcePolicy(in, ctx);
    if (op == "GetRandomPassword") return GetRandomPassword(in, ctx);
    if (op == "BatchGetSecretValue") return BatchGetSecretValue(in, ctx);
  } catch (const std::exception& e) {
    return Internal(std::string("secretsmanager: ") + e.what());
  }
  return Unimplemented("Secrets Manager " + std::string(op) + " is not implemented by crosskey")
               .WithAws("NotImplementedException", 501);
}

Result<SecretsManagerService::Located> SecretsManagerService::Locate(const std::string& id, RequestContext& ctx) {
  Located loc;
  loc.account = ctx.principal.account;
  loc.region = ctx.region;
  loc.name = id;
  std::vector<std::string> candidates = {id};
  if (StartsWith(id, "arn:")) {
    auto arn = core::Arn::Parse(id);
    if (!arn.ok() || arn->service != "secretsmanager" || !StartsWith(arn->resource, "secret:"))
      return NotFoundSecret();
    loc.account = arn->account;
    loc.region = arn->region;
    std::string rest = arn->resource.substr(7);
    candidates = {rest};  // a partial ARN (no suffix)
    // A full ARN ends in "-XXXXXX".
    if (rest.size() > 7 && rest[rest.size() - 7] == '-') {
      candidates.insert(candidates.begin(), rest.substr(0, rest.size() - 7));
      loc.arn_given = id;
    }
  }
  for (const auto& name : candidates) {
    CK_ASSIGN_OR_RETURN(auto raw, store_.Get(sm::kSecrets, sm::RecordKey(loc.account, loc.region, name)));
    if (!raw) continue;
    sm::Secret s = sm::Secret::FromJson(json::parse(*raw));
    if (!loc.arn_given.empty() && name != candidates.back() && s.arn != loc.arn_given) continue;
    // Purge a secret whose recovery window has passed.
    if (s.deleted > 0 && s.deletion_date <= Now()) {
      storage::WriteBatch b;
      b.ExpectValue(sm::kSecrets, sm::RecordKey(loc.account, loc.region, name), *raw);
      b.Delete(sm::kSecrets, sm::RecordKey(loc.account, loc.region, name));
      (void)store_.Apply(b);
      continue;
    }
    loc.name = name;
    loc.raw = *raw;
    loc.secret = std::move(s);
    return loc;
  }
  if (!loc.arn_given.empty()) loc.name = candidates.front();
  return loc;
}

Status SecretsManagerService::Authorize(RequestContext& ctx, const std::string& action, const std::string& account,
                                        const std::string& resource, const std::string& policy) {
  AuthzRequest r;
  r.principal = &ctx.principal;
  r.action = "secretsmanager:" + action;
  r.resource = resource;
  r.resource_account = account;
  r.region = ctx.region;
  r.source_ip = ctx.source_ip;
  r.secure_transport = ctx.secure_transport;
  std::shared_ptr<const core::iam::Policy> parsed;
  if (!policy.empty()) {
    CK_ASSIGN_OR_RETURN(parsed, authz_.Parse(policy, core::iam::PolicyKind::kResource));
    r.resource_policy = parsed.get();
  }
  CK_ASSIGN_OR_RETURN(auto result, authz_.Authorize(r));
  if (!result.allowed()) return AccessDeniedFor(result, "AccessDeniedException", 400);
  return Status::Ok();
}

Result<SecretsManagerService::Located> SecretsManagerService::LoadAuthorized(const std::string& id,
                                                                             RequestContext& ctx,
                                                                             const std::string& action,
                                                                             bool allow_deleted) {
  CK_ASSIGN_OR_RETURN(Located loc, Locate(id, ctx));
  std::string resource = loc.secret ? loc.secret->arn
                                    : "arn:aws:secretsmanager:" + loc.region + ":" + loc.account + ":secret:" + loc.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, action, loc.account, resource, loc.secret ? loc.secret->policy : ""));
  if (!loc.secret) return NotFoundSecret();
  if (loc.secret->deleted > 0 && !allow_deleted)
    return InvalidRequest("You can't perform this operation on the secret because it was marked for deletion.");
  return loc;
}

Status SecretsManagerService::Save(const Located& loc, const sm::Secret& s) {
  storage::WriteBatch b;
  std::string key = sm::RecordKey(s.account, s.region, s.name);
  if (loc.raw.empty()) b.ExpectAbsent(sm::kSecrets, key);
  else b.ExpectValue(sm::kSecrets, key, loc.raw);
  b.Put(sm::kSecrets, key, s.ToJson().dump());
  return store_.Apply(b);
}

Result<json> SecretsManagerService::Mutate(const std::string& id, RequestContext& ctx, const std::string& action,
                                           const std::function<Result<json>(sm::Secret&)>& fn, bool allow_deleted) {
  for (int attempt = 0; attempt < kSaveAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(id, ctx, action, allow_deleted));
    sm::Secret s = *loc.secret;
    CK_ASSIGN_OR_RETURN(json out, fn(s));
    Status saved = Save(loc, s);
    if (storage::IsPreconditionFailure(saved)) continue;
    CK_RETURN_IF_ERROR(saved);
    return out;
  }
  return AwsError("InternalServiceError", 500, "The secret changed concurrently; retry the request.");
}

Status SecretsManagerService::CheckCrossAccountKey(const sm::Secret& s, const std::string& key_ref,
                                                   RequestContext& ctx) {
  if (ctx.principal.account == s.account) return Status::Ok();
  // AWS-SEMANTICS §4: the default key (and an alias of the caller's own
  // account's managed key) cannot serve another account. Code UNVERIFIED;
  // InvalidRequestException chosen.
  if (key_ref.empty() || StartsWith(key_ref, "alias/aws/"))
    return InvalidRequest("You must specify a KMS key ARN to update the secret from a different AWS account.");
  return Status::Ok();
}

namespace {

Status KmsWriteError(const Status& s, const std::string& request_id) {
  if (s.aws_code() == "AccessDeniedException") return AwsError("AccessDeniedException", 400, "Access to KMS is not allowed");
  // The wrapped-KMS message recorded in hashicorp/terraform-provider-aws#30272;
  // code INFERRED (EncryptionFailure).
  return AwsError("EncryptionFailure", 400,
                  "Secrets Manager can't encrypt the secret value: " + s.message() +
                      " (Service: AWSKMS; Status Code: 400; Error Code: " + s.aws_code() +
                      "; Request ID: " + request_id + "; Proxy: null)");
}

}  // namespace

Status SecretsManagerService::ValidateKeyAccess(const std::string& arn, const std::string& key_ref,
                                                RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", arn}, {"SecretVersionId", "RequestToValidateKeyAccess"}};
  auto dk = kms_.GenerateDataKey(key_ref, context, CallerFor(ctx));
  if (!dk.ok()) return KmsWriteError(dk.status(), ctx.request_id);
  auto dec = kms_.Decrypt(dk->ciphertext_blob, context, CallerFor(ctx));
  if (!dec.ok()) {
    if (dec.status().aws_code() == "AccessDeniedException")
      return AwsError("AccessDeniedException", 400, "Access to KMS is not allowed");
    return AwsError("DecryptionFailure", 400,
                    "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
  }
  return Status::Ok();
}

Result<sm::SecretVersion> SecretsManagerService::SealVersion(const sm::Secret& s, const std::string& key_ref,
                                                             const std::string& version_id, const std::string& value,
                                                             bool binary, RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", s.arn}, {"SecretVersionId", version_id}};
  auto dk = kms_.GenerateDataKey(key_ref.empty() ? "alias/aws/secretsmanager" : key_ref, context, CallerFor(ctx));
  if (!dk.ok()) return KmsWriteError(dk.status(), ctx.request_id);
  sm::SecretVersion v;
  v.id = version_id;
  v.created = Now();
  v.binary = binary;
  v.data_key_blob = dk->ciphertext_blob;
  v.key_arn = dk->key_arn;
  crypto::AesGcmSeal(dk->plaintext, crypto::RandomBytes(crypto::kAesGcmIvSize), s.arn + '\0' + version_id, value, &v.sealed);
  return v;
}

Result<std::string> SecretsManagerService::OpenVersion(const sm::Secret& s, const sm::SecretVersion& v,
                                                       RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", s.arn}, {"SecretVersionId", v.id}};
  auto dec = kms_.Decrypt(v.data_key_blob, context, CallerFor(ctx));
  if (!dec.ok()) {
    if (dec.status().aws_code() == "AccessDeniedException") {
      // re:Post lists a longer text when the version predates a key change.
      const sm::SecretVersion* cur = nullptr;
      for (const auto& [id, x] : s.versions)
        for (const auto& st : x.stages)
          if (st == "AWSCURRENT") cur = &x;
      if (cur && cur->key_arn != v.key_arn)
        return AwsError("AccessDeniedException", 400,
                        "Access to KMS is not allowed. This version of secret is not encrypted with the current KMS key.");
      return AwsError("AccessDeniedException", 400, "Access to KMS is not allowed");
    }
    return AwsError("DecryptionFailure", 400,
                    "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
  }
  auto plain = crypto::AesGcmOpen(dec->plaintext, s.arn + '\0' + v.id, v.sealed);
  if (!plain) return DataLoss("secret version " + v.id + " failed its integrity check");
  return std::move(*plain);
}

json SecretsManagerService::GetValueOutput(const sm::Secret& s, const sm::SecretVersion& v, const std::string& value) {
  json out = {{"ARN", s.arn}, {"Name", s.name}, {"VersionId", v.id}, {"VersionStages", v.stages},
              {"CreatedDate", v.created}};
  out[v.binary ? "SecretBinary" : "SecretString"] = value;
  return out;
}

json SecretsManagerService::DescribeOutput(const sm::Secret& s) const {
  json out = {{"ARN", s.arn}, {"Name", s.name}, {"CreatedDate", s.created}, {"LastChangedDate", s.last_changed}};
  if (!s.description.empty()) out["Description"] = s.description;
  // Omitted for the AWS managed key (AWS-SEMANTICS §4).
  if (!s.kms_key_id.empty()) out["KmsKeyId"] = s.kms_key_id;
  if (s.last_accessed > 0) out["LastAccessedDate"] = s.last_accessed;
  if (s.deleted > 0) out["DeletedDate"] = s.deleted;
  if (!s.tags.empty()) out["Tags"] = s.tags;
  out["VersionIdsToStages"] = s.VersionIdsToStages();
  return out;
}

Result<json> SecretsManagerService::CreateSecret(const json& in, RequestContext& ctx) {
  if (in.contains("AddReplicaRegions")) return Unimplemented("crosskey does not implement secret replication")
               .WithAws("NotImplementedException", 501);
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  std::string name = Str(in, "Name");
  CK_ASSIGN_OR_RETURN(Located loc, Locate(name, ctx));
  loc.account = ctx.principal.account;
  loc.region = ctx.region;
  sm::Secret s;
  s.name = name;
  s.account = ctx.principal.account;
  s.region = ctx.region;
  s.arn = sm::NewSecretArn(s.region, s.account, name);
  CK_RETURN_IF_ERROR(Authorize(ctx, "CreateSecret", s.account, s.arn, ""));
  if (loc.secret) {
    if (loc.secret->deleted > 0)
      return InvalidRequest("You can't create this secret because a secret with this name is already scheduled for deletion.");
    return AwsError("ResourceExistsException", 400, "The operation failed because the secret " + name + " already exists.");
  }
  s.description = Str(in, "Description");
  s.kms_key_id = Str(in, "KmsKeyId");
  s.tags = in.value("Tags", json::array());
  s.created = s.last_changed = Now();
  json out = {{"ARN", s.arn}, {"Name", s.name}};
  if (auto value = ValueOf(in)) {
    std::string vid = Str(in, "ClientRequestToken", NewVersionId());
    CK_ASSIGN_OR_RETURN(sm::SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->first, value->second, ctx));
    s.AddVersion(std::move(v), {"AWSCURRENT"});
    out["VersionId"] = vid;
  } else if (!s.kms_key_id.empty()) {
    CK_RETURN_IF_ERROR(ValidateKeyAccess(s.arn, s.kms_key_id, ctx));
  }
  Status saved = Save(loc, s);
  if (storage::IsPreconditionFailure(saved))
    return AwsError("ResourceExistsException", 400, "The operation failed because the secret " + name + " already exists.");
  CK_RETURN_IF_ERROR(saved);
  return out;
}

Result<json> SecretsManagerService::PutSecretValue(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  auto value = ValueOf(in);
  if (!value) return InvalidRequest("You must provide either SecretString or SecretBinary.");
  std::vector<std::string> stages = in.value("VersionStages", std::vector<std::string>{"AWSCURRENT"});
  std::string vid = Str(in, "ClientRequestToken", NewVersionId());
  return Mutate(Str(in, "SecretId"), ctx, "PutSecretValue", [&](sm::Secret& s) -> Result<json> {
    CK_RETURN_IF_ERROR(CheckCrossAccountKey(s, s.kms_key_id, ctx));
    json out = {{"ARN", s.arn}, {"Name", s.name}, {"VersionId", vid}};
    if (auto it = s.versions.find(vid); it != s.versions.end()) {
      // Idempotent retry: same value → same answer; a different value is refused.
      CK_ASSIGN_OR_RETURN(std::string existing, OpenVersion(s, it->second, ctx));
      if (existing != value->first || it->second.binary != value->second)
        return AwsError("ResourceExistsException", 400,
                        "You can't modify an existing version, you can only create a new version.");
      out["VersionStages"] = it->second.stages;
      return out;
    }
    CK_ASSIGN_OR_RETURN(sm::SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->first, value->second, ctx));
    s.AddVersion(std::move(v), stages);
    s.last_changed = Now();
    out["VersionStages"] = s.versions[vid].stages;
    return out;
  });
}

Result<json> SecretsManagerService::UpdateSecret(const json& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  auto value = ValueOf(in);
  std::string vid = Str(in, "ClientRequestToken", NewVersionId());
  bool key_given = in.contains("KmsKeyId");
  std::string new_key = Str(in, "KmsKeyId");
  return Mutate(Str(in, "SecretId"), ctx, "UpdateSecret", [&](sm::Secret& s) -> Result<json> {
    bool cross = ctx.principal.account != s.account;
    if (cross && key_given && !IsKeyArn(new_key))
      return InvalidRequest("You must specify a KMS key ARN to update the secret from a different AWS account.");
    if (!key_given && value) CK_RETURN_IF_ERROR(CheckCrossAccountKey(s, s.kms_key_id, ctx));
    json out = {{"ARN", s.arn}, {"Name", s.name}};
    if (in.contains("Description")) s.description = Str(in, "Description");
    if (key_given && new_key != s.kms_key_id) {
      if (!new_key.empty()) CK_RETURN_IF_ERROR(ValidateKeyAccess(s.arn, new_key, ctx));
      // Re-encrypt the labeled versions under the new key (as the caller);
      // unlabeled versions keep the old key, as AWS documents.
      for (auto& [id, v] : s.versions) {
        if (v.stages.empty()) continue;
        CK_ASSIGN_OR_RETURN(std::string plain, OpenVersion(s, v, ctx));
        CK_ASSIGN_OR_RETURN(sm::SecretVersion nv, SealVersion(s, new_key, id, plain, v.binary, ctx));
        v.data_key_blob = nv.data_key_blob;
        v.sealed = nv.sealed;
        v.key_arn = nv.key_arn;
      }
      s.kms_key_id = new_key;
    }
    if (value) {
      if (auto it = s.versions.find(vid); it != s.versions.end()) {
        CK_ASSIGN_OR_RETURN(std::string existing, OpenVersion(s, it->second, ctx));
        if (existing != value->first)
          return AwsError("ResourceExistsException", 400,
                          "You can't modify an existing version, you can only create a new version.");
      } else {
        CK_ASSIGN_OR_RETURN(sm::SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->first, value->second, ctx));
        s.AddVersion(std::move(v), {"AWSCURRENT"});
      }
      out["VersionId"] = vid;
    }
    s.last_changed = Now();
    return out;
  });
}

Result<json> SecretsManagerService::GetSecretValue(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(Str(in, "SecretId"), ctx, "GetSecretValue"));
  sm::Secret& s = *loc.secret;
  std::string vid = Str(in, "VersionId"), stage = Str(in, "VersionStage");
  const sm::SecretVersion* v = nullptr;
  if (!vid.empty()) {
    auto it = s.versions.find(vid);
    if (it == s.versions.end())
      return AwsError("ResourceNotFoundException", 400,
                      "Secrets Manager can't find the specified secret value for VersionId: " + vid);
    v = &it->second;
    if (!stage.empty() && std::find(v->stages.begin(), v->stages.end(), stage) == v->stages.end())
      return InvalidRequest("You provided a VersionStage that is not associated to the provided VersionId.");
  } else {
    if (stage.empty()) stage = "AWSCURRENT";
    v = s.WithStage(stage);
    if (!v)
      return AwsError("ResourceNotFoundException", 400,
                      "Secrets Manager can't find the specified secret value for staging label: " + stage);
  }
  CK_ASSIGN_OR_RETURN(std::string value, OpenVersion(s, *v, ctx));
  json out = GetValueOutput(s, *v, value);
  double today = Day(Now());
  if (s.last_accessed != today) {
    s.last_accessed = today;
    (void)Save(loc, s);  // best effort: a concurrent update wins
  }
  return out;
}

Result<json> SecretsManagerService::DescribeSecret(const json& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(Str(in, "SecretId"), ctx, "DescribeSecret", true));
  return DescribeOutput(*loc.secret);
}

Result<json> SecretsManagerService::DeleteSecret(const json& in, RequestContext& ctx) {
  bool force = in.value("ForceDeleteWithoutRecovery", false);
  if (force && in.contains("RecoveryWindowInDays"))
    return InvalidParameter("You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  long long days = in.value("RecoveryWindowInDays", 30LL);
  if (days < 7 || days > 30)
    return InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(Str(in, "SecretId"), ctx, "DeleteSecret", true));
  sm::Secret s = *loc.secret;
  if (force) {
    storage::WriteBatch b;
    b.ExpectValue(sm::kSecrets, sm::RecordKey(s.account, s.region, s.name), loc.raw);
    b.Delete(sm::kSecrets, sm::RecordKey(s.account, s.region, s.name));
    CK_RETURN_IF_ERROR(store_.Apply(b));
    return json{{"ARN", s.arn}, {"Name", s.name}, {"DeletionDate", Now()}};
  }
  if (s.deleted > 0)
    return InvalidRequest("You can't perform this operation on the secret because it was already scheduled for deletion.");
  s.deleted = Now();
  s.deletion_date = s.deleted + static_cast<double>(days) * 86400;
  CK_RETURN_IF_ERROR(Save(loc, s));
  return json{{"ARN", s.arn}, {"Name", s.name}, {"DeletionDate", s.deletion_date}};
}

Result<json> SecretsManagerService::RestoreSecret(const json& in, RequestContext& ctx) {
  return Mutate(
      Str(in, "SecretId"), ctx, "RestoreSecret",
      [&](sm::Secret& s) -> Result<json> {
        s.deleted = 0;
        s.deletion_date = 0;
        return json{{"ARN", s.arn}, {"Name", s.name}};
      },
      true);
}

}  // namespace ck::services
