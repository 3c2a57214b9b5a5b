#include "services/kms/kms_service.h"

#include <unordered_map>

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/kms/kms_condition_keys.h"
#include "wire/json_writer.h"

namespace ck::services {

using nlohmann::json;
using kmsimpl::KeyPtr;

namespace kmsimpl {

Status RequireEnabled(const core::kms::KeyRecord& k) {
  switch (k.state) {
    case core::kms::KeyState::kEnabled: return Status::Ok();
    case core::kms::KeyState::kDisabled: return AwsError("DisabledException", 400, k.arn + " is disabled.");
    case core::kms::KeyState::kPendingDeletion:
      return AwsError("KMSInvalidStateException", 400, k.arn + " is pending deletion.");
    case core::kms::KeyState::kPendingImport:
      return AwsError("KMSInvalidStateException", 400, k.arn + " is pending import.");
  }
  return Status::Ok();
}

Status RequireNotPendingDeletion(const core::kms::KeyRecord& k) {
  if (k.state == core::kms::KeyState::kPendingDeletion)
    return AwsError("KMSInvalidStateException", 400, k.arn + " is pending deletion.");
  return Status::Ok();
}

Status InvalidKeyUsage(const core::kms::KeyRecord& k, std::string_view op) {
  // AWS-SEMANTICS §1.4 (recorded): "<ARN> key usage is SIGN_VERIFY which is not valid for Encrypt."
  return AwsError("InvalidKeyUsageException", 400,
                  k.arn + " key usage is " + k.usage + " which is not valid for " + std::string(op) + ".");
}

Status DryRun() {
  return AwsError("DryRunOperationException", 400, "The request would have succeeded, but the DryRun option is set.");
}

Result<std::string> DecodeBlob(const json& in, const char* member) {
  if (!in.contains(member)) return std::string();
  auto b = Base64Decode(in[member].get<std::string>());
  if (!b) return AwsError("SerializationException", 400, std::string("Invalid base64 in ") + member);
  return std::move(*b);
}

core::kms::EncryptionContext ContextOf(const json& in, const char* member) {
  core::kms::EncryptionContext out;
  if (in.contains(member) && in[member].is_object())
    for (const auto& [k, v] : in[member].items()) out[k] = v.get<std::string>();
  return out;
}

Result<size_t> MarkerStart(const json& in) {
  if (!in.contains("Marker")) return size_t{0};
  std::string m = in["Marker"].get<std::string>();
  size_t pos = 0;
  for (char ch : m) {
    if (ch < '0' || ch > '9') return AwsError("InvalidMarkerException", 400, "Invalid marker: " + m);
    pos = pos * 10 + static_cast<size_t>(ch - '0');
  }
  return pos;
}

std::string NewRequestId() { return core::kms::NewKeyId(); }

}  // namespace kmsimpl

namespace {

std::string IamAction(std::string_view op) {
  std::string a;
  a.reserve(4 + op.size());
  a.append("kms:").append(op);
  return a;
}

bool IsReadOnly(std::string_view op) {
  static const std::string_view kWrite[] = {
      "CreateKey",          "UpdateKeyDescription", "EnableKey",        "DisableKey",        "ScheduleKeyDeletion",
      "CancelKeyDeletion",  "EnableKeyRotation",    "DisableKeyRotation", "RotateKeyOnDemand", "TagResource",
      "UntagResource",      "CreateAlias",          "UpdateAlias",      "DeleteAlias",       "PutKeyPolicy",
      "CreateGrant",        "RetireGrant",          "RevokeGrant",      "ImportKeyMaterial", "DeleteImportedKeyMaterial",
      "ReplicateKey",       "UpdatePrimaryRegion",  "CreateCustomKeyStore", "DeleteCustomKeyStore",
      "UpdateCustomKeyStore", "ConnectCustomKeyStore", "DisconnectCustomKeyStore"};
  for (auto w : kWrite)
    if (w == op) return false;
  return true;
}

bool IsUserMap(const std::string& member) {
  return member == "EncryptionContext" || member == "SourceEncryptionContext" ||
         member == "DestinationEncryptionContext" || member == "EncryptionContextSubset" ||
         member == "EncryptionContextEquals";
}

bool IsSensitive(const std::string& member) {
  return member == "Plaintext" || member == "CiphertextBlob" || member == "Message" || member == "Signature" ||
         member == "Mac" || member == "ImportToken" || member == "EncryptedKeyMaterial" || member == "GrantToken";
}

std::string LowerFirst(const std::string& s) {
  std::string out = s;
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] + 32);
  return out;
}

// CloudTrail's requestParameters: the input with lowerCamelCase member names,
// without plaintext, ciphertext or other secrets.
json CamelCase(const json& in) {
  if (in.is_array()) {
    json out = json::array();
    for (const auto& v : in) out.push_back(CamelCase(v));
    return out;
  }
  if (!in.is_object()) return in;
  json out = json::object();
  for (const auto& [k, v] : in.items()) {
    if (IsSensitive(k)) continue;
    out[LowerFirst(k)] = IsUserMap(k) ? v : CamelCase(v);
  }
  return out;
}

}  // namespace

KmsService::KmsService(storage::MetadataStore& store, PolicyAuthorizer& authorizer, cloudtrail::EventRecorder& events,
                       const Clock& clock, std::string master_key)
    : authorizer_(authorizer), events_(events), clock_(clock), keys_(store, std::move(master_key), authorizer, clock) {}

Status KmsService::Start() { return keys_.Load(); }

KmsService::Handler KmsService::FindHandler(std::string_view op) {
  static const std::unordered_map<std::string_view, Handler> kHandlers = {
      {"Encrypt", &KmsService::OpEncrypt},
      {"Decrypt", &KmsService::OpDecrypt},
      {"ReEncrypt", &KmsService::OpReEncrypt},
      {"GenerateDataKey", &KmsService::OpGenerateDataKey},
      {"GenerateDataKeyWithoutPlaintext", &KmsService::OpGenerateDataKeyWithoutPlaintext},
      {"GenerateDataKeyPair", &KmsService::OpGenerateDataKeyPair},
      {"GenerateDataKeyPairWithoutPlaintext", &KmsService::OpGenerateDataKeyPairWithoutPlaintext},
      {"GenerateRandom", &KmsService::OpGenerateRandom},
      {"Sign", &KmsService::OpSign},
      {"Verify", &KmsService::OpVerify},
      {"GetPublicKey", &KmsService::OpGetPublicKey},
      {"GenerateMac", &KmsService::OpGenerateMac},
      {"VerifyMac", &KmsService::OpVerifyMac},
      {"CreateKey", &KmsService::OpCreateKey},
      {"DescribeKey", &KmsService::OpDescribeKey},
      {"ListKeys", &KmsService::OpListKeys},
      {"UpdateKeyDescription", &KmsService::OpUpdateKeyDescription},
      {"EnableKey", &KmsService::OpEnableKey},
      {"DisableKey", &KmsService::OpDisableKey},
      {"ScheduleKeyDeletion", &KmsService::OpScheduleKeyDeletion},
      {"CancelKeyDeletion", &KmsService::OpCancelKeyDeletion},
      {"EnableKeyRotation", &KmsService::OpEnableKeyRotation},
      {"DisableKeyRotation", &KmsService::OpDisableKeyRotation},
      {"GetKeyRotationStatus", &KmsService::OpGetKeyRotationStatus},
      {"RotateKeyOnDemand", &KmsService::OpRotateKeyOnDemand},
      {"ListKeyRotations", &KmsService::OpListKeyRotations},
      {"TagResource", &KmsService::OpTagResource},
      {"UntagResource", &KmsService::OpUntagResource},
      {"ListResourceTags", &KmsService::OpListResourceTags},
      {"CreateAlias", &KmsService::OpCreateAlias},
      {"UpdateAlias", &KmsService::OpUpdateAlias},
      {"DeleteAlias", &KmsService::OpDeleteAlias},
      {"ListAliases", &KmsService::OpListAliases},
      {"GetKeyPolicy", &KmsService::OpGetKeyPolicy},
      {"PutKeyPolicy", &KmsService::OpPutKeyPolicy},
      {"ListKeyPolicies", &KmsService::OpListKeyPolicies},
      {"CreateGrant", &KmsService::OpCreateGrant},
      {"ListGrants", &KmsService::OpListGrants},
      {"ListRetirableGrants", &KmsService::OpListRetirableGrants},
      {"RetireGrant", &KmsService::OpRetireGrant},
      {"RevokeGrant", &KmsService::OpRevokeGrant},
      {"DescribeCustomKeyStores", &KmsService::OpDescribeCustomKeyStores},
      {"CreateCustomKeyStore", &KmsService::OpUnsupported},
      {"ConnectCustomKeyStore", &KmsService::OpUnsupported},
      {"DisconnectCustomKeyStore", &KmsService::OpUnsupported},
      {"UpdateCustomKeyStore", &KmsService::OpUnsupported},
      {"DeleteCustomKeyStore", &KmsService::OpUnsupported},
      {"GetParametersForImport", &KmsService::OpUnsupported},
      {"ImportKeyMaterial", &KmsService::OpUnsupported},
      {"DeleteImportedKeyMaterial", &KmsService::OpUnsupported},
      {"ReplicateKey", &KmsService::OpUnsupported},
      {"UpdatePrimaryRegion", &KmsService::OpUnsupported},
      {"DeriveSharedSecret", &KmsService::OpUnsupported},
      {"GetKeyLastUsage", &KmsService::OpUnsupported},
  };
  auto it = kHandlers.find(op);
  return it == kHandlers.end() ? nullptr : it->second;
}

template <typename T, typename F>
Result<T> KmsService::Run(std::string_view op, const KmsCaller& caller, json params, F&& body) {
  return RunWith<T>(op, caller, std::move(params), [](const Ctx& c, wire::JsonWriter& w) {
    if (c.blob_key_arn.empty()) {
      w.Value(c.params);
      return;
    }
    json with_key = c.params;
    with_key["keyId"] = c.blob_key_arn;
    w.Value(with_key);
  }, std::forward<F>(body));
}

template <typename T, typename R, typename F>
Result<T> KmsService::RunWith(std::string_view op, const KmsCaller& caller, json params, R&& render_params,
                              F&& body) {
  Ctx c{caller, std::string(op), clock_.Now(), IamAction(op), std::move(params)};
  Result<T> r = body(c);
  wire::JsonWriter writer;
  render_params(c, writer);
  RecordEvent(c, r.status(), writer.Take());
  return r;
}

void KmsService::RecordEvent(const Ctx& c, const Status& status, std::string request_parameters) {
  cloudtrail::ApiEvent e;
  e.time = c.now;
  e.event_source = "kms.amazonaws.com";
  e.event_name = c.op;
  e.region = c.caller.region;
  e.source_ip = c.caller.source_ip;
  e.user_agent = c.caller.user_agent;
  e.principal = &c.caller.principal;
  e.invoked_by = c.caller.invoked_by;
  if (request_parameters != "{}" && request_parameters != "null") e.request_parameters = request_parameters;
  std::string response;
  if (!c.response.is_null()) response = wire::JsonWriter().Value(c.response).Take();
  e.response_elements = response;
  std::string request_id = c.caller.request_id.empty() ? kmsimpl::NewRequestId() : "";
  e.request_id = c.caller.request_id.empty() ? std::string_view(request_id) : c.caller.request_id;
  e.read_only = IsReadOnly(c.op);
  cloudtrail::EventResource resources[2];
  std::string_view recipients[3] = {c.caller.principal.account};
  size_t n_resources = 0, n_recipients = 1;
  // AWS-SEMANTICS §6: denied cross-account requests are logged only in the caller's account.
  const bool denied = !status.ok() && status.aws_code() == "AccessDeniedException";
  for (const KeyPtr* k : {&c.key, &c.extra_key}) {
    if (!*k) continue;
    resources[n_resources++] = {(*k)->arn, (*k)->account, "AWS::KMS::Key"};
    if (!denied) recipients[n_recipients++] = (*k)->account;
  }
  e.resources = std::span(resources, n_resources);
  e.recipients = std::span(recipients, n_recipients);
  std::string error_code;
  if (!status.ok()) {
    error_code = status.aws_code().empty() ? "InternalFailure" : status.aws_code();
    e.error_code = error_code;
    e.error_message = status.message();
  }
  if (c.key && c.key->symmetric() && !c.key->materials.empty() && status.ok()) {
    thread_local std::string additional;  // the event is encoded before Record returns
    additional.assign(R"({"keyMaterialId":)");
    wire::JsonWriter::AppendQuoted(c.key->Current().material_id, &additional);
    additional.push_back('}');
    e.additional_event_data = additional;
  }
  events_.Record(e);
}

Result<json> KmsService::Invoke(std::string_view operation, const json& input, RequestContext& ctx) {
  KmsCaller caller;
  caller.principal = ctx.principal;
  caller.region = ctx.region;
  caller.source_ip = ctx.source_ip;
  caller.request_id = ctx.request_id;
  caller.secure_transport = ctx.secure_transport;
  if (ctx.head) {
    if (auto ua = ctx.head->headers.Get("user-agent")) caller.user_agent = std::string(*ua);
  }
  return Call(operation, input, caller);
}

Result<json> KmsService::Call(std::string_view operation, const json& input, const KmsCaller& caller) {
  Handler h = FindHandler(operation);
  return Run<json>(operation, caller, CamelCase(input), [&](Ctx& c) -> Result<json> {
    if (!h) return AwsError("UnsupportedOperationException", 400, "crosskey does not support " + c.op + ".");
    return (this->*h)(input, c);
  });
}

Result<core::kms::Resolution> KmsService::ResolveFor(Ctx& c, std::string_view ref, core::kms::RefForms forms, bool cross) {
  core::kms::ResolveOptions o;
  o.forms = forms;
  o.cross_account = cross;
  o.action = c.action;
  o.caller_arn = c.caller.principal.arn;
  auto r = core::kms::Resolve(keys_, c.caller.principal.account, c.caller.region, ref, o);
  if (r.ok() && !c.key) c.key = r->key;
  return r;
}

bool KmsService::GrantAllows(const core::kms::KeyRecord& key, const Principal& p, std::string_view op,
                             const core::kms::EncryptionContext* ec) const {
  if (key.grants.empty()) return false;
  std::string root = "arn:aws:iam::" + p.account + ":root";
  for (const auto& g : key.grants) {
    bool grantee = g.grantee == p.arn || (!p.role_arn.empty() && g.grantee == p.role_arn) || g.grantee == root ||
                   (!p.service.empty() && g.grantee == p.service);
    if (!grantee) continue;
    if (std::find(g.operations.begin(), g.operations.end(), op) == g.operations.end()) continue;
    if (g.constraints.context_equals && (!ec || *ec != *g.constraints.context_equals)) continue;
    if (g.constraints.context_subset) {
      if (!ec) continue;
      bool all = true;
      for (const auto& [k, v] : *g.constraints.context_subset) {
        auto it = ec->find(k);
        if (it == ec->end() || it->second != v) all = false;
      }
      if (!all) continue;
    }
    return true;
  }
  return false;
}

Status KmsService::Authorize(Ctx& c, const core::kms::KeyRecord& key, std::string_view action,
                             const core::kms::EncryptionContext* ec, const std::string& request_alias,
                             core::iam::ContextKeys extra) {
  const KmsCaller& caller = c.caller;
  AuthzRequest r;
  r.principal = &caller.principal;
  r.action = action == c.op ? c.action : IamAction(action);
  r.resource = key.arn;
  r.resource_account = key.account;
  r.resource_policy = key.parsed_policy.get();
  r.resource_policy_required = true;
  r.keys = std::move(extra);
  KmsConditionKeys kms_keys(caller, &key, ec, &request_alias);
  r.service_keys = &kms_keys;
  if (!caller.invoked_by.empty()) r.called_via = std::span(&caller.invoked_by, 1);
  r.region = caller.region;
  // Forward access sessions carry no source IP of their own (aws:SourceIp is absent).
  if (caller.via_service.empty()) r.source_ip = caller.source_ip;
  r.secure_transport = caller.secure_transport;
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(r));
  if (decision.allowed()) return Status::Ok();
  if (decision.decision == core::iam::Decision::kImplicitDeny && GrantAllows(key, caller.principal, action, ec))
    return Status::Ok();
  return AccessDeniedFor(decision, "AccessDeniedException", 400, key.account != caller.principal.account);
}

Status KmsService::AuthorizeIdentity(Ctx& c, std::string_view action, const std::string& resource) {
  AuthzRequest r;
  r.principal = &c.caller.principal;
  r.action = action == c.op ? c.action : IamAction(action);
  r.resource = resource;
  KmsConditionKeys kms_keys(c.caller, nullptr, nullptr, nullptr);
  r.service_keys = &kms_keys;
  if (!c.caller.invoked_by.empty()) r.called_via = std::span(&c.caller.invoked_by, 1);
  r.region = c.caller.region;
  if (c.caller.via_service.empty()) r.source_ip = c.caller.source_ip;
  r.secure_transport = c.caller.secure_transport;
  CK_ASSIGN_OR_RETURN(auto decision, authorizer_.Authorize(r));
  if (decision.allowed()) return Status::Ok();
  return AccessDeniedFor(decision, "AccessDeniedException", 400);
}

Result<KmsDataKey> KmsService::DoGenerateDataKey(Ctx& c, std::string_view key_ref, const core::kms::EncryptionContext& ec,
                                                 int n, bool dry_run, const std::string& action) {
  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, key_ref, core::kms::RefForms::kAny, true));
  const core::kms::KeyRecord& k = *res.key;
  CK_RETURN_IF_ERROR(Authorize(c, k, action, &ec, res.alias_name));
  if (dry_run) return kmsimpl::DryRun();
  CK_RETURN_IF_ERROR(kmsimpl::RequireEnabled(k));
  if (k.usage != "ENCRYPT_DECRYPT" || !k.symmetric()) return kmsimpl::InvalidKeyUsage(k, action);
  KmsDataKey out;
  out.plaintext = crypto::RandomBytes(static_cast<size_t>(n));
  const core::kms::MaterialVersion& m = k.Current();
  out.ciphertext_blob = core::kms::SealBlob({k.account, k.region, k.id, m.version}, m.plain, out.plaintext, ec);
  out.key_arn = k.arn;
  return out;
}

Result<KmsDecrypted> KmsService::DoDecrypt(Ctx& c, std::string_view blob, const core::kms::EncryptionContext& ec,
                                           const std::string& key_ref, const std::string& algorithm, bool dry_run,
                                           const std::string& action) {
  core::kms::Resolution given;
  if (!key_ref.empty()) {
    CK_ASSIGN_OR_RETURN(given, ResolveFor(c, key_ref, core::kms::RefForms::kAny, true));
  }
  if (given.key && !given.key->symmetric()) {
    const core::kms::KeyRecord& k = *given.key;
    CK_RETURN_IF_ERROR(Authorize(c, k, action, nullptr, given.alias_name));
    if (dry_run) return kmsimpl::DryRun();
    CK_RETURN_IF_ERROR(kmsimpl::RequireEnabled(k));
    if (k.usage != "ENCRYPT_DECRYPT") return kmsimpl::InvalidKeyUsage(k, action);
    if (algorithm != "RSAES_OAEP_SHA_1" && algorithm != "RSAES_OAEP_SHA_256")
      return AwsError("InvalidKeyUsageException", 400,
                      "The encryption algorithm " + (algorithm.empty() ? std::string("SYMMETRIC_DEFAULT") : algorithm) +
                          " is not compatible with the type of key you specified.");
    CK_ASSIGN_OR_RETURN(auto plain, k.asymmetric->Decrypt(algorithm, blob));
    return KmsDecrypted{std::move(plain), k.arn};
  }
  CK_ASSIGN_OR_RETURN(auto header, core::kms::ParseBlobHeader(blob));
  // INFERRED: a blob of another region's key cannot be found in this region.
  if (header.region != c.caller.region) return core::kms::InvalidCiphertext();
  KeyPtr key = keys_.FindKey(header.account, header.region, header.key_id);
  std::string blob_arn = core::kms::KeyArn(header.region, header.account, header.key_id);
  if (given.key && given.key->arn != blob_arn)
    return AwsError("IncorrectKeyException", 400,
                    "The key ID in the request does not identify a CMK that can perform this operation.");
  if (key_ref.empty()) c.blob_key_arn = blob_arn;
  if (!key) {
    if (header.account != c.caller.principal.account) return core::kms::RedactedDenial(c.caller.principal.arn, "kms:" + action);
    return AwsError("NotFoundException", 400, core::kms::KeyDoesNotExist(blob_arn));
  }
  if (!c.key) c.key = key;
  CK_RETURN_IF_ERROR(Authorize(c, *key, action, &ec, given.alias_name));
  if (dry_run) return kmsimpl::DryRun();
  CK_RETURN_IF_ERROR(kmsimpl::RequireEnabled(*key));
  if (!algorithm.empty() && algorithm != "SYMMETRIC_DEFAULT") return core::kms::InvalidCiphertext();
  const core::kms::MaterialVersion* m = key->Material(header.version);
  if (!m) return core::kms::InvalidCiphertext();
  CK_ASSIGN_OR_RETURN(auto plain, core::kms::OpenBlob(blob, m->plain, ec));
  return KmsDecrypted{std::move(plain), key->arn};
}

namespace {

// requestParameters.encryptionContext, when there is one.
void WriteContext(const KmsEncryptionContext& context, wire::JsonWriter& w) {
  if (context.empty()) return;
  w.Key("encryptionContext").BeginObject();
  for (const auto& [k, v] : context) w.Field(k, v);
  w.EndObject();
}

}  // namespace

// The in-process calls write their CloudTrail requestParameters directly (the
// same members, in the same order, as the JSON operations' parameters).
Result<KmsDataKey> KmsService::GenerateDataKey(std::string_view key_ref, const KmsEncryptionContext& context,
                                               const KmsCaller& caller, int number_of_bytes) {
  auto params = [&](const Ctx&, wire::JsonWriter& w) {
    w.BeginObject();
    WriteContext(context, w);
    w.Field("keyId", key_ref);
    if (number_of_bytes == 32) {
      w.Field("keySpec", "AES_256");
    } else {
      w.Key("numberOfBytes").Int(number_of_bytes);
    }
    w.EndObject();
  };
  return RunWith<KmsDataKey>("GenerateDataKey", caller, nullptr, params, [&](Ctx& c) -> Result<KmsDataKey> {
    if (number_of_bytes < 1 || number_of_bytes > 1024)
      return AwsError("ValidationException", 400,
                      "1 validation error detected: Value '" + std::to_string(number_of_bytes) +
                          "' at 'numberOfBytes' failed to satisfy constraint: Member must have value between 1 and 1024");
    return DoGenerateDataKey(c, key_ref, context, number_of_bytes, false, "GenerateDataKey");
  });
}

Result<KmsDecrypted> KmsService::Decrypt(std::string_view blob, const KmsEncryptionContext& context,
                                         const KmsCaller& caller) {
  auto params = [&](const Ctx& c, wire::JsonWriter& w) {
    w.BeginObject().Field("encryptionAlgorithm", "SYMMETRIC_DEFAULT");
    WriteContext(context, w);
    if (!c.blob_key_arn.empty()) w.Field("keyId", c.blob_key_arn);
    w.EndObject();
  };
  return RunWith<KmsDecrypted>("Decrypt", caller, nullptr, params, [&](Ctx& c) {
    return DoDecrypt(c, blob, context, "", "", false, "Decrypt");
  });
}

Result<KmsKeyDescription> KmsService::DescribeKey(std::string_view key_ref, const KmsCaller& caller) {
  return Run<KmsKeyDescription>("DescribeKey", caller, json{{"keyId", key_ref}},
                                [&](Ctx& c) -> Result<KmsKeyDescription> {
                                  CK_ASSIGN_OR_RETURN(auto res, ResolveFor(c, key_ref, core::kms::RefForms::kAny, true));
                                  const core::kms::KeyRecord& k = *res.key;
                                  CK_RETURN_IF_ERROR(Authorize(c, k, "DescribeKey", nullptr, res.alias_name));
                                  return KmsKeyDescription{k.arn,     k.id,      k.account, k.region,
                                                           core::kms::KeyStateName(k.state), k.manager, k.spec, k.usage};
                                });
}

}  // namespace ck::services
