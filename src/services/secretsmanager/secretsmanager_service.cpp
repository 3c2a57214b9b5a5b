#include "services/secretsmanager/secretsmanager_service.h"

#include <algorithm>

#include "base/codec.h"
#include "core/arn.h"
#include "core/ids.h"
#include "core/iam/policy_document.h"
#include "crypto/aead.h"
#include "crypto/hash.h"
#include "services/authorizer.h"
#include "services/secretsmanager/errors.h"
#include "wire/model.h"

namespace ck::services::sm {

namespace ops = smapi::ops;

namespace {

constexpr int kSaveAttempts = 8;

Status NotFoundSecret() { return errors::ResourceNotFound("Secrets Manager can't find the specified secret."); }

TimePoint Day(TimePoint t) { return std::chrono::floor<std::chrono::days>(t); }

// The value a request carries: the text sealed (a binary value as its
// base64) and whether it is binary.
struct Value {
  std::string text;
  bool binary = false;
};
std::optional<Value> ValueOf(const std::optional<std::string>& text, const std::optional<Bytes>& binary) {
  if (text) return Value{*text, false};
  if (binary) return Value{Base64Encode(binary->view()), true};
  return std::nullopt;
}

template <typename In>
Status CheckOneValue(const In& in) {
  if (in.secret_string && in.secret_binary)
    return errors::InvalidParameter(
        "You can't specify both a binary secret value and a string secret value in the same secret.");
  return Status::Ok();
}

bool IsKeyArn(const std::string& ref) { return StartsWith(ref, "arn:"); }

// The secret is on the AWS managed key: no KmsKeyId, or its alias named.
bool IsDefaultKey(const std::string& ref) { return ref.empty() || ref == "alias/aws/secretsmanager"; }

Status AccessToKmsDenied() { return errors::AccessDenied("Access to KMS is not allowed"); }

// AWS recording (test_cross_account_access): another account's GetSecretValue
// or PutSecretValue of a secret on the default key, before any KMS call.
Status DefaultKeyRefused() {
  return errors::InvalidRequest(
      "You can't access a secret from a different AWS account if you encrypt the secret with the default KMS "
      "service key.");
}

// The message is the BLOG's (AWS-SEMANTICS §4); the code is UNVERIFIED
// (InvalidRequestException chosen).
Status KeyArnRequired() {
  return errors::InvalidRequest("You must specify a KMS key ARN to update the secret from a different AWS account.");
}

// SDKs fill ClientRequestToken themselves (idempotency token); a request
// that creates a version without one is refused (AWS recording,
// test_no_client_request_token; RotateSecret answers InvalidParameterException).
Status CheckToken(const std::optional<std::string>& token, bool rotate = false) {
  if (token) return Status::Ok();
  constexpr char kText[] = "You must provide a ClientRequestToken value. We recommend a UUID-type value.";
  return rotate ? errors::InvalidParameter(kText) : errors::InvalidRequest(kText);
}

// ASCII letters, digits and /_+=.@- (AWS recording, test_invalid_secret_name).
Status CheckName(std::string_view name) {
  bool ok = !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           std::string_view("/_+=.@-").find(c) != std::string_view::npos;
  });
  if (ok) return Status::Ok();
  return errors::Validation(
      "Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!");
}

Status KmsWriteError(const Status& s, const std::string& request_id) {
  if (s.code() == Code::kPermissionDenied) return AccessToKmsDenied();
  // The wrapped-KMS message recorded in hashicorp/terraform-provider-aws#30272;
  // code INFERRED (EncryptionFailure).
  return errors::EncryptionFailure("Secrets Manager can't encrypt the secret value: " + s.message() +
                                   " (Service: AWSKMS; Status Code: 400; Error Code: " + s.aws_code() +
                                   "; Request ID: " + request_id + "; Proxy: null)");
}

Status DecryptError() {
  return errors::DecryptionFailure(
      "Secrets Manager can't decrypt the protected secret text using the provided KMS key.");
}

Status ModifyVersionRefused() {
  return errors::ResourceExists("You can't modify an existing version, you can only create a new version.");
}

}  // namespace

const OperationTable<SecretsManagerService>& SecretsManagerService::Operations() {
  static const auto* table = [] {
    using S = SecretsManagerService;
    auto* t = new OperationTable<S>(errors::kSerialization, errors::kNotImplemented);
    auto read = [](std::string_view action) {
      return OperationMeta{.iam_action = action, .read_only = true, .resource = "secret"};
    };
    auto write = [](std::string_view action) {
      return OperationMeta{.iam_action = action, .read_only = false, .resource = "secret"};
    };
    t->Add<ops::CreateSecret, &S::CreateSecret>(write("secretsmanager:CreateSecret"))
        .Add<ops::PutSecretValue, &S::PutSecretValue>(write("secretsmanager:PutSecretValue"))
        .Add<ops::UpdateSecret, &S::UpdateSecret>(write("secretsmanager:UpdateSecret"))
        .Add<ops::GetSecretValue, &S::GetSecretValue>(read("secretsmanager:GetSecretValue"))
        .Add<ops::DescribeSecret, &S::DescribeSecret>(read("secretsmanager:DescribeSecret"))
        .Add<ops::DeleteSecret, &S::DeleteSecret>(write("secretsmanager:DeleteSecret"))
        .Add<ops::RestoreSecret, &S::RestoreSecret>(write("secretsmanager:RestoreSecret"))
        .Add<ops::RotateSecret, &S::RotateSecret>(write("secretsmanager:RotateSecret"))
        .Add<ops::ListSecrets, &S::ListSecrets>(read("secretsmanager:ListSecrets"))
        .Add<ops::ListSecretVersionIds, &S::ListSecretVersionIds>(read("secretsmanager:ListSecretVersionIds"))
        .Add<ops::UpdateSecretVersionStage, &S::UpdateSecretVersionStage>(
            write("secretsmanager:UpdateSecretVersionStage"))
        .Add<ops::TagResource, &S::TagResource>(write("secretsmanager:TagResource"))
        .Add<ops::UntagResource, &S::UntagResource>(write("secretsmanager:UntagResource"))
        .Add<ops::PutResourcePolicy, &S::PutResourcePolicy>(write("secretsmanager:PutResourcePolicy"))
        .Add<ops::GetResourcePolicy, &S::GetResourcePolicy>(read("secretsmanager:GetResourcePolicy"))
        .Add<ops::DeleteResourcePolicy, &S::DeleteResourcePolicy>(write("secretsmanager:DeleteResourcePolicy"))
        .Add<ops::ValidateResourcePolicy, &S::ValidateResourcePolicy>(read("secretsmanager:ValidateResourcePolicy"))
        .Add<ops::GetRandomPassword, &S::GetRandomPassword>(read("secretsmanager:GetRandomPassword"))
        .Add<ops::BatchGetSecretValue, &S::BatchGetSecretValue>(read("secretsmanager:BatchGetSecretValue"));
    return t;
  }();
  return *table;
}

Result<Document> SecretsManagerService::Invoke(std::string_view operation, const Document& input,
                                               RequestContext& ctx) {
  if (ctx.principal.is_anonymous()) return errors::MissingAuthenticationToken("Missing Authentication Token");
  return Operations().Run(*this, operation, input, ctx);
}

Status SecretsManagerService::CheckModel() const {
  return Operations().CheckAgainst(*wire::FindService("secretsmanager"));
}

TimePoint SecretsManagerService::Now() const { return std::chrono::floor<std::chrono::seconds>(clock_.Now()); }

KmsCaller SecretsManagerService::CallerFor(const RequestContext& ctx) const {
  return ForwardAccessCaller(ctx, "secretsmanager", ctx.region);
}

Result<SecretsManagerService::Located> SecretsManagerService::Locate(const std::string& id, RequestContext& ctx) {
  if (!StartsWith(id, "arn:")) CK_RETURN_IF_ERROR(CheckName(id));
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
    std::string key = RecordKey(loc.account, loc.region, name);
    CK_ASSIGN_OR_RETURN(auto raw, secrets_.store().Get(kSecrets, key));
    if (!raw) continue;
    CK_ASSIGN_OR_RETURN(Secret s, secrets_.Decode(key, *raw));
    if (!loc.arn_given.empty() && name != candidates.back() && s.arn != loc.arn_given) continue;
    // Purge a secret whose recovery window has passed.
    if (s.scheduled_for_deletion() && s.deletion_date <= Now()) {
      storage::WriteBatch b;
      b.ExpectValue(kSecrets, key, *raw);
      secrets_.Delete(b, key);
      (void)secrets_.store().Apply(b);
      continue;
    }
    loc.name = name;
    loc.raw = std::move(*raw);
    loc.secret = std::move(s);
    return loc;
  }
  if (!loc.arn_given.empty()) loc.name = candidates.front();
  return loc;
}

Status SecretsManagerService::Authorize(RequestContext& ctx, std::string_view action, const std::string& account,
                                        const std::string& resource, const std::string& policy) {
  AuthzRequest r = AuthzRequest::For(ctx, "secretsmanager:" + std::string(action), resource);
  r.resource_account = account;
  std::shared_ptr<const core::iam::Policy> parsed;
  if (!policy.empty()) {
    CK_ASSIGN_OR_RETURN(parsed, authz_.Parse(policy, core::iam::PolicyKind::kResource));
    r.resource_policy = parsed.get();
  }
  CK_ASSIGN_OR_RETURN(auto result, authz_.Authorize(r));
  if (!result.allowed()) return AccessDeniedFor(result, errors::kAccessDenied);
  return Status::Ok();
}

Result<SecretsManagerService::Located> SecretsManagerService::LoadAuthorized(const std::string& id,
                                                                             RequestContext& ctx,
                                                                             std::string_view action,
                                                                             bool allow_deleted) {
  CK_ASSIGN_OR_RETURN(Located loc, Locate(id, ctx));
  std::string resource = loc.secret ? loc.secret->arn
                                    : "arn:aws:secretsmanager:" + loc.region + ":" + loc.account + ":secret:" + loc.name;
  CK_RETURN_IF_ERROR(Authorize(ctx, action, loc.account, resource, loc.secret ? loc.secret->policy : ""));
  if (!loc.secret) return NotFoundSecret();
  if (loc.secret->scheduled_for_deletion() && !allow_deleted)
    return errors::InvalidRequest(
        "You can't perform this operation on the secret because it was marked for deletion.");
  return loc;
}

Status SecretsManagerService::Save(const Located& loc, const Secret& s) {
  storage::WriteBatch b;
  std::string key = RecordKey(s.account, s.region, s.name);
  if (loc.raw.empty()) b.ExpectAbsent(kSecrets, key);
  else b.ExpectValue(kSecrets, key, loc.raw);
  secrets_.Put(b, key, s);
  return secrets_.store().Apply(b);
}

Result<Secret> SecretsManagerService::Mutate(const std::string& id, RequestContext& ctx, std::string_view action,
                                             const std::function<Status(Secret&)>& fn, bool allow_deleted) {
  for (int attempt = 0; attempt < kSaveAttempts; ++attempt) {
    CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(id, ctx, action, allow_deleted));
    Secret s = *loc.secret;
    CK_RETURN_IF_ERROR(fn(s));
    Status saved = Save(loc, s);
    if (storage::IsPreconditionFailure(saved)) continue;
    CK_RETURN_IF_ERROR(saved);
    return s;
  }
  return errors::InternalServiceError("The secret changed concurrently; retry the request.");
}

Status SecretsManagerService::CheckCrossAccountRead(const Secret& s, RequestContext& ctx) {
  if (ctx.principal.account == s.account) return Status::Ok();
  if (IsDefaultKey(s.kms_key_id)) return DefaultKeyRefused();
  // A key named without its account (alias name or bare key id) cannot be
  // reached from another account (AWS-SEMANTICS §4, BLOG).
  if (!IsKeyArn(s.kms_key_id)) return AccessToKmsDenied();
  return Status::Ok();
}

Status SecretsManagerService::CheckCrossAccountWrite(const Secret& s, RequestContext& ctx) {
  if (ctx.principal.account == s.account) return Status::Ok();
  if (IsDefaultKey(s.kms_key_id)) return DefaultKeyRefused();
  if (!IsKeyArn(s.kms_key_id)) return KeyArnRequired();
  return Status::Ok();
}

Status SecretsManagerService::ValidateKeyAccess(const std::string& arn, const std::string& key_ref,
                                                RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", arn}, {"SecretVersionId", "RequestToValidateKeyAccess"}};
  auto dk = kms_.GenerateDataKey(key_ref, context, CallerFor(ctx));
  if (!dk.ok()) return KmsWriteError(dk.status(), ctx.request_id);
  auto dec = kms_.Decrypt(dk->ciphertext_blob, context, CallerFor(ctx));
  if (!dec.ok()) return dec.status().code() == Code::kPermissionDenied ? AccessToKmsDenied() : DecryptError();
  return Status::Ok();
}

Result<SecretVersion> SecretsManagerService::SealVersion(const Secret& s, const std::string& key_ref,
                                                         const std::string& version_id, const std::string& value,
                                                         bool binary, RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", s.arn}, {"SecretVersionId", version_id}};
  auto dk = kms_.GenerateDataKey(key_ref.empty() ? "alias/aws/secretsmanager" : key_ref, context, CallerFor(ctx));
  if (!dk.ok()) return KmsWriteError(dk.status(), ctx.request_id);
  SecretVersion v;
  v.id = version_id;
  v.created = Now();
  v.binary = binary;
  v.data_key_blob = dk->ciphertext_blob;
  v.key_arn = dk->key_arn;
  if (key_ref.empty()) v.default_key = true;
  std::string sealed;
  crypto::AesGcmSeal(dk->plaintext, crypto::RandomBytes(crypto::kAesGcmIvSize), s.arn + '\0' + version_id, value,
                     &sealed);
  v.sealed = std::move(sealed);
  return v;
}

Result<std::string> SecretsManagerService::OpenVersion(const Secret& s, const SecretVersion& v,
                                                       RequestContext& ctx) {
  KmsEncryptionContext context = {{"SecretARN", s.arn}, {"SecretVersionId", v.id}};
  auto dec = kms_.Decrypt(v.data_key_blob.str(), context, CallerFor(ctx));
  if (!dec.ok()) {
    if (dec.status().code() != Code::kPermissionDenied) return DecryptError();
    // re:Post lists a longer text when the version predates a key change.
    const SecretVersion* cur = s.WithStage("AWSCURRENT");
    if (cur && cur->key_arn != v.key_arn)
      return errors::AccessDenied(
          "Access to KMS is not allowed. This version of secret is not encrypted with the current KMS key.");
    return AccessToKmsDenied();
  }
  auto plain = crypto::AesGcmOpen(dec->plaintext, s.arn + '\0' + v.id, v.sealed.view());
  if (!plain) return DataLoss("secret version " + v.id + " failed its integrity check");
  return std::move(*plain);
}

Status SecretsManagerService::Rekey(Secret& s, const std::string& new_key, RequestContext& ctx) {
  if (!new_key.empty()) CK_RETURN_IF_ERROR(ValidateKeyAccess(s.arn, new_key, ctx));
  // Unlabeled versions keep the old key, as AWS documents.
  for (auto& [id, v] : s.versions) {
    if (v.stages.empty()) continue;
    CK_ASSIGN_OR_RETURN(std::string plain, OpenVersion(s, v, ctx));
    CK_ASSIGN_OR_RETURN(SecretVersion nv, SealVersion(s, new_key, id, plain, v.binary, ctx));
    v.data_key_blob = std::move(nv.data_key_blob);
    v.sealed = std::move(nv.sealed);
    v.key_arn = std::move(nv.key_arn);
    v.default_key = nv.default_key;
  }
  s.kms_key_id = new_key;
  return Status::Ok();
}

Result<smapi::CreateSecretResponse> SecretsManagerService::CreateSecret(const smapi::CreateSecretRequest& in,
                                                                        RequestContext& ctx) {
  if (in.add_replica_regions) return errors::NotImplemented("crosskey does not implement secret replication");
  CK_RETURN_IF_ERROR(CheckName(in.name));
  if (in.secret_string || in.secret_binary) CK_RETURN_IF_ERROR(CheckToken(in.client_request_token));
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  CK_ASSIGN_OR_RETURN(Located loc, Locate(in.name, ctx));
  Secret s;
  s.name = in.name;
  s.account = ctx.principal.account;
  s.region = ctx.region;
  s.arn = NewSecretArn(s.region, s.account, s.name);
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::CreateSecret::kName, s.account, s.arn, ""));
  auto exists = [&] {
    return errors::ResourceExists("The operation failed because the secret " + s.name + " already exists.");
  };
  if (loc.secret) {
    if (loc.secret->scheduled_for_deletion())
      return errors::InvalidRequest(
          "You can't create this secret because a secret with this name is already scheduled for deletion.");
    return exists();
  }
  s.description = in.description.value_or("");
  s.kms_key_id = in.kms_key_id.value_or("");
  for (const auto& t : in.tags.value_or(std::vector<smapi::Tag>{})) s.tags.push_back({t.key, t.value});
  if (in.tags) s.tagged = true;
  s.created = s.last_changed = Now();
  smapi::CreateSecretResponse out;
  out.arn = s.arn;
  out.name = s.name;
  if (auto value = ValueOf(in.secret_string, in.secret_binary)) {
    std::string vid = in.client_request_token.value_or(ids::Uuid4());
    CK_ASSIGN_OR_RETURN(SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->text, value->binary, ctx));
    s.AddVersion(std::move(v), {"AWSCURRENT"});
    out.version_id = vid;
  } else if (!s.kms_key_id.empty()) {
    CK_RETURN_IF_ERROR(ValidateKeyAccess(s.arn, s.kms_key_id, ctx));
  }
  Status saved = Save(loc, s);
  if (storage::IsPreconditionFailure(saved)) return exists();
  CK_RETURN_IF_ERROR(saved);
  return out;
}

Result<smapi::PutSecretValueResponse> SecretsManagerService::PutSecretValue(const smapi::PutSecretValueRequest& in,
                                                                            RequestContext& ctx) {
  CK_RETURN_IF_ERROR(CheckToken(in.client_request_token));
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  auto value = ValueOf(in.secret_string, in.secret_binary);
  if (!value) return errors::InvalidRequest("You must provide either SecretString or SecretBinary.");
  std::vector<std::string> stages = in.version_stages.value_or(std::vector<std::string>{"AWSCURRENT"});
  std::string vid = in.client_request_token.value_or(ids::Uuid4());
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(in.secret_id, ctx, ops::PutSecretValue::kName, [&](Secret& s) -> Status {
    CK_RETURN_IF_ERROR(CheckCrossAccountWrite(s, ctx));
    if (auto it = s.versions.find(vid); it != s.versions.end()) {
      // Idempotent retry: same value → same answer; a different value is refused.
      CK_ASSIGN_OR_RETURN(std::string existing, OpenVersion(s, it->second, ctx));
      if (existing != value->text || it->second.binary != value->binary) return ModifyVersionRefused();
      return Status::Ok();
    }
    CK_ASSIGN_OR_RETURN(SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->text, value->binary, ctx));
    s.AddVersion(std::move(v), stages);
    s.last_changed = Now();
    return Status::Ok();
  }));
  smapi::PutSecretValueResponse out;
  out.arn = saved.arn;
  out.name = saved.name;
  out.version_id = vid;
  out.version_stages = saved.versions[vid].stages;
  return out;
}

Result<smapi::UpdateSecretResponse> SecretsManagerService::UpdateSecret(const smapi::UpdateSecretRequest& in,
                                                                        RequestContext& ctx) {
  if (in.secret_string || in.secret_binary) CK_RETURN_IF_ERROR(CheckToken(in.client_request_token));
  CK_RETURN_IF_ERROR(CheckOneValue(in));
  auto value = ValueOf(in.secret_string, in.secret_binary);
  std::string vid = in.client_request_token.value_or(ids::Uuid4());
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(in.secret_id, ctx, ops::UpdateSecret::kName, [&](Secret& s) -> Status {
    bool cross = ctx.principal.account != s.account;
    // Another account must name the new key by ARN; without a new key, a new
    // value is sealed under the secret's key, as PutSecretValue does.
    if (cross && in.kms_key_id && !IsKeyArn(*in.kms_key_id)) return KeyArnRequired();
    if (!in.kms_key_id && value) CK_RETURN_IF_ERROR(CheckCrossAccountWrite(s, ctx));
    if (in.description) s.description = *in.description;
    if (in.kms_key_id && *in.kms_key_id != s.kms_key_id) CK_RETURN_IF_ERROR(Rekey(s, *in.kms_key_id, ctx));
    if (value) {
      if (auto it = s.versions.find(vid); it != s.versions.end()) {
        CK_ASSIGN_OR_RETURN(std::string existing, OpenVersion(s, it->second, ctx));
        if (existing != value->text) return ModifyVersionRefused();
      } else {
        CK_ASSIGN_OR_RETURN(SecretVersion v, SealVersion(s, s.kms_key_id, vid, value->text, value->binary, ctx));
        s.AddVersion(std::move(v), {"AWSCURRENT"});
      }
    }
    s.last_changed = Now();
    return Status::Ok();
  }));
  smapi::UpdateSecretResponse out;
  out.arn = saved.arn;
  out.name = saved.name;
  if (value) out.version_id = vid;
  return out;
}

Result<smapi::GetSecretValueResponse> SecretsManagerService::GetSecretValue(const smapi::GetSecretValueRequest& in,
                                                                            RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::GetSecretValue::kName));
  Secret& s = *loc.secret;
  CK_RETURN_IF_ERROR(CheckCrossAccountRead(s, ctx));
  std::string vid = in.version_id.value_or(""), stage = in.version_stage.value_or("");
  const SecretVersion* v = nullptr;
  if (!vid.empty()) {
    auto it = s.versions.find(vid);
    if (it == s.versions.end())
      return errors::ResourceNotFound("Secrets Manager can't find the specified secret value for VersionId: " + vid);
    v = &it->second;
    if (!stage.empty() && std::find(v->stages.begin(), v->stages.end(), stage) == v->stages.end())
      return errors::InvalidRequest("You provided a VersionStage that is not associated to the provided VersionId.");
  } else {
    if (stage.empty()) stage = "AWSCURRENT";
    v = s.WithStage(stage);
    if (!v)
      return errors::ResourceNotFound("Secrets Manager can't find the specified secret value for staging label: " +
                                      stage);
  }
  CK_ASSIGN_OR_RETURN(std::string value, OpenVersion(s, *v, ctx));
  smapi::GetSecretValueResponse out;
  out.arn = s.arn;
  out.name = s.name;
  out.version_id = v->id;
  out.version_stages = v->stages;
  out.created_date = v->created;
  if (!v->binary) {
    out.secret_string = std::move(value);
  } else {
    auto bytes = Base64Decode(value);
    if (!bytes) return DataLoss("secret version " + v->id + " holds no base64 binary value");
    out.secret_binary = Bytes(std::move(*bytes));
  }
  // The secret and the version read remember the day (DescribeSecret,
  // ListSecretVersionIds).
  TimePoint today = Day(Now());
  SecretVersion& read = s.versions[v->id];
  if (s.last_accessed != today || read.last_accessed != today) {
    s.last_accessed = today;
    read.last_accessed = today;
    (void)Save(loc, s);  // best effort: a concurrent update wins
  }
  return out;
}

Result<smapi::DescribeSecretResponse> SecretsManagerService::DescribeSecret(const smapi::DescribeSecretRequest& in,
                                                                            RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::DescribeSecret::kName, true));
  smapi::DescribeSecretResponse out;
  DescribeInto(*loc.secret, &out);
  out.version_ids_to_stages = loc.secret->VersionIdsToStages();
  return out;
}

Result<smapi::DeleteSecretResponse> SecretsManagerService::DeleteSecret(const smapi::DeleteSecretRequest& in,
                                                                        RequestContext& ctx) {
  bool force = in.force_delete_without_recovery.value_or(false);
  if (force && in.recovery_window_in_days)
    return errors::InvalidParameter(
        "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.");
  int64_t days = in.recovery_window_in_days.value_or(30);
  if (days < 7 || days > 30)
    return errors::InvalidParameter("The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).");
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::DeleteSecret::kName, true));
  Secret s = *loc.secret;
  smapi::DeleteSecretResponse out;
  out.arn = s.arn;
  out.name = s.name;
  if (force) {
    storage::WriteBatch b;
    std::string key = RecordKey(s.account, s.region, s.name);
    b.ExpectValue(kSecrets, key, loc.raw);
    secrets_.Delete(b, key);
    CK_RETURN_IF_ERROR(secrets_.store().Apply(b));
    out.deletion_date = Now();
    return out;
  }
  if (s.scheduled_for_deletion())
    return errors::InvalidRequest(
        "You can't perform this operation on the secret because it was already scheduled for deletion.");
  s.deleted = Now();
  s.deletion_date = s.deleted + std::chrono::days(days);
  CK_RETURN_IF_ERROR(Save(loc, s));
  out.deletion_date = s.deletion_date;
  return out;
}

Result<smapi::RestoreSecretResponse> SecretsManagerService::RestoreSecret(const smapi::RestoreSecretRequest& in,
                                                                          RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(
                                        in.secret_id, ctx, ops::RestoreSecret::kName,
                                        [](Secret& s) {
                                          s.deleted = TimePoint{};
                                          s.deletion_date = TimePoint{};
                                          return Status::Ok();
                                        },
                                        true));
  smapi::RestoreSecretResponse out;
  out.arn = saved.arn;
  out.name = saved.name;
  return out;
}

Result<smapi::RotateSecretResponse> SecretsManagerService::RotateSecret(const smapi::RotateSecretRequest& in,
                                                                        RequestContext& ctx) {
  CK_RETURN_IF_ERROR(CheckToken(in.client_request_token, /*rotate=*/true));
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::RotateSecret::kName));
  // A secret here never has a rotation function (RotateSecret never gets
  // that far), so without RotationLambdaARN there is nothing to run (AWS
  // recording, test_first_rotate_secret_with_missing_lambda_arn).
  if (!in.rotation_lambda_arn)
    return errors::InvalidRequest("No Lambda rotation function ARN is associated with this secret.");
  // What AWS answers for a function it cannot invoke (AWS recording,
  // test_rotate_secret_invalid_lambda_arn): crosskey has no functions.
  return errors::AccessDenied(
      "Secrets Manager cannot invoke the specified Lambda function. Ensure that the function policy grants access "
      "to the principal secretsmanager.amazonaws.com.");
}

}  // namespace ck::services::sm
