// IAM service-specific credentials (CodeCommit Git credentials, Amazon
// Keyspaces passwords): a user name and password for one service, kept
// beside the user. crosskey only stores and lists them (no service here
// accepts them).
//
// Storage: table "iam.service_credentials", key ACCOUNT "/" lower(user) "/"
// credential id → ServiceCredential.
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/iam/iam_internal.h"

namespace ck::services::iam {

namespace ops = api::iam::ops;

namespace {

template <class V, class S>
void CredentialFields(V& v, S& s) {
  v("account", s.account, true);
  v("user", s.user_name, true);
  v("id", s.id, true);
  v("service", s.service_name, true);
  v("service_user", s.service_user_name, false);
  v("password", s.password, false);
  v("active", s.active, false);
  v("created", s.created, false);
}

// The services that issue user name + password credentials. Bedrock API keys
// (alias, secret, expiry) are not implemented.
bool Supported(std::string_view service) {
  return service == "codecommit.amazonaws.com" || service == "cassandra.amazonaws.com";
}

Status CheckService(const std::string& service) {
  if (service == "bedrock.amazonaws.com")
    return errors::NotImplemented("crosskey does not implement service-specific credentials for Amazon Bedrock");
  // AWS recordings (test_create_service_specific_credential_invalid_service,
  // test_list_service_specific_credential_different_service).
  if (!Supported(service))
    return errors::NoSuchEntity("No such service " + service + " is supported for Service Specific Credentials");
  return Status::Ok();
}

std::string CredentialPrefix(const std::string& account, const std::string& user) {
  return account + "/" + ToLower(user) + "/";
}

std::string NewServicePassword() { return Base64Encode(crypto::RandomBytes(33)); }  // 44 characters

api::iam::ServiceSpecificCredential CredentialOf(const ServiceCredential& c, bool with_password) {
  api::iam::ServiceSpecificCredential out;
  out.create_date = Seconds(c.created);
  out.service_name = c.service_name;
  out.service_user_name = c.service_user_name;
  if (with_password) out.service_password = c.password;
  out.service_specific_credential_id = c.id;
  out.user_name = c.user_name;
  out.status = c.active ? api::iam::statusType::kActive : api::iam::statusType::kInactive;
  return out;
}

}  // namespace

CK_DEFINE_FIELDS(ServiceCredential, CredentialFields)

std::string IamService::CallerUserName(const RequestContext& ctx, const std::optional<std::string>& given) const {
  if (given) return *given;
  return ctx.principal.type == Principal::kUser ? ctx.principal.username : "";
}

Result<ServiceCredential> IamService::LoadCredential(RequestContext& ctx, std::string_view operation,
                                                     const std::optional<std::string>& user_name,
                                                     const std::string& id) {
  CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, operation, CallerUserName(ctx, user_name)));
  CK_ASSIGN_OR_RETURN(auto c, service_credentials_.Get(CredentialPrefix(u.account, u.name) + id));
  // AWS recording (test_user_match_id_mismatch).
  if (!c) return errors::NoSuchEntity("No such credential " + id + " exists");
  return std::move(*c);
}

Result<api::iam::CreateServiceSpecificCredentialResponse> IamService::CreateServiceSpecificCredential(
    const api::iam::CreateServiceSpecificCredentialRequest& in, RequestContext& ctx) {
  // The user first (AWS recording, test_create_service_specific_credential_invalid_user).
  CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::CreateServiceSpecificCredential::kName,
                                                         in.user_name));
  CK_RETURN_IF_ERROR(CheckService(in.service_name));
  ServiceCredential c;
  c.account = u.account;
  c.user_name = u.name;
  c.id = NewIamId("ACCA");
  c.service_name = in.service_name;
  c.service_user_name = u.name + "-at-" + u.account;
  c.password = NewServicePassword();
  c.created = clock_.Now();
  CK_RETURN_IF_ERROR(service_credentials_.Put(CredentialPrefix(c.account, c.user_name) + c.id, c));
  return api::iam::CreateServiceSpecificCredentialResponse{CredentialOf(c, true)};
}

Result<api::iam::ListServiceSpecificCredentialsResponse> IamService::ListServiceSpecificCredentials(
    const api::iam::ListServiceSpecificCredentialsRequest& in, RequestContext& ctx) {
  std::string prefix = ctx.principal.account + "/";
  if (!in.all_users.value_or(false)) {
    std::string name = CallerUserName(ctx, in.user_name);
    if (name.empty()) {
      CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListServiceSpecificCredentials::kName, ctx.principal.arn));
      prefix.clear();  // the account root has none
    } else {
      CK_ASSIGN_OR_RETURN(IamUser u, LoadAuthorized<IamUser>(ctx, ops::ListServiceSpecificCredentials::kName, name));
      prefix = CredentialPrefix(u.account, u.name);
    }
  } else {
    CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListServiceSpecificCredentials::kName,
                                 "arn:aws:iam::" + ctx.principal.account + ":user/"));
  }
  if (in.service_name) CK_RETURN_IF_ERROR(CheckService(*in.service_name));
  api::iam::ListServiceSpecificCredentialsResponse out;
  auto& list = out.service_specific_credentials.emplace();
  if (prefix.empty()) return out;
  CK_ASSIGN_OR_RETURN(auto all, service_credentials_.ScanAll(prefix));
  for (const auto& [key, c] : all) {
    if (in.service_name && c.service_name != *in.service_name) continue;
    api::iam::ServiceSpecificCredentialMetadata m;
    m.user_name = c.user_name;
    m.status = c.active ? api::iam::statusType::kActive : api::iam::statusType::kInactive;
    m.service_user_name = c.service_user_name;
    m.create_date = Seconds(c.created);
    m.service_specific_credential_id = c.id;
    m.service_name = c.service_name;
    list.push_back(std::move(m));
  }
  return out;
}

Result<api::Empty> IamService::UpdateServiceSpecificCredential(
    const api::iam::UpdateServiceSpecificCredentialRequest& in, RequestContext& ctx) {
  using api::iam::statusType;
  CK_ASSIGN_OR_RETURN(ServiceCredential c, LoadCredential(ctx, ops::UpdateServiceSpecificCredential::kName,
                                                          in.user_name, in.service_specific_credential_id));
  c.active = in.status == statusType::kActive;
  CK_RETURN_IF_ERROR(service_credentials_.Put(CredentialPrefix(c.account, c.user_name) + c.id, c));
  return api::Empty{};
}

Result<api::iam::ResetServiceSpecificCredentialResponse> IamService::ResetServiceSpecificCredential(
    const api::iam::ResetServiceSpecificCredentialRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(ServiceCredential c, LoadCredential(ctx, ops::ResetServiceSpecificCredential::kName,
                                                          in.user_name, in.service_specific_credential_id));
  c.password = NewServicePassword();
  CK_RETURN_IF_ERROR(service_credentials_.Put(CredentialPrefix(c.account, c.user_name) + c.id, c));
  return api::iam::ResetServiceSpecificCredentialResponse{CredentialOf(c, true)};
}

Result<api::Empty> IamService::DeleteServiceSpecificCredential(
    const api::iam::DeleteServiceSpecificCredentialRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(ServiceCredential c, LoadCredential(ctx, ops::DeleteServiceSpecificCredential::kName,
                                                          in.user_name, in.service_specific_credential_id));
  CK_RETURN_IF_ERROR(service_credentials_.Delete(CredentialPrefix(c.account, c.user_name) + c.id));
  return api::Empty{};
}

Result<bool> IamService::HasServiceCredentials(const IamUser& u) {
  CK_ASSIGN_OR_RETURN(auto all, service_credentials_.ScanAll(CredentialPrefix(u.account, u.name)));
  return !all.empty();
}

}  // namespace ck::services::iam
