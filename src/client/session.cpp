#include "client/session.h"

#include "api/sts.h"

namespace ck::client {

Session::Session(ClientOptions options, std::shared_ptr<CredentialSource> credentials)
    : options_(std::move(options)), credentials_(std::move(credentials)) {}

AwsClient& Session::Client(const std::string& service) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& c = clients_[service];
  if (!c) c = std::make_unique<AwsClient>(service, options_, credentials_);
  return *c;
}

namespace {

Result<Credentials> AssumeWith(const ClientOptions& options, const Credentials& source, const std::string& role_arn,
                               const std::string& session_name, const std::string& external_id, int duration) {
  AwsClient sts("sts", options, std::make_shared<StaticCredentials>(source));
  api::sts::AssumeRoleRequest in;
  in.role_arn = role_arn;
  in.role_session_name = session_name;
  if (!external_id.empty()) in.external_id = external_id;
  in.duration_seconds = duration;
  CK_ASSIGN_OR_RETURN(auto out, sts.Call<api::sts::ops::AssumeRole>(in));
  if (!out.credentials) return Status(Code::kDataLoss, "AssumeRole answered without credentials");
  Credentials c;
  c.keys = {out.credentials->access_key_id, out.credentials->secret_access_key, out.credentials->session_token};
  c.expiration = out.credentials->expiration;
  c.source = "assumed role " + role_arn;
  return c;
}

}  // namespace

Result<std::shared_ptr<Session>> Session::FromProfile(std::string profile, ClientOptions options) {
  auto holder = std::make_shared<ClientOptions>(options);
  auto chain = std::make_shared<CredentialChain>(
      std::move(profile), CredentialEnvironment::System(),
      [holder](const Credentials& source, const std::string& role, const std::string& name, const std::string& ext,
               int duration) { return AssumeWith(*holder, source, role, name, ext, duration); });
  if (options.region.empty()) options.region = chain->ProfileRegion();
  if (options.region.empty()) options.region = "us-east-1";
  *holder = options;
  return std::make_shared<Session>(std::move(options), chain);
}

Result<std::shared_ptr<Session>> Session::AssumeRole(const std::string& role_arn, const std::string& session_name,
                                                     const std::string& external_id, int duration_seconds) {
  CK_ASSIGN_OR_RETURN(Credentials source, credentials_->Get());
  CK_ASSIGN_OR_RETURN(Credentials c, AssumeWith(options_, source, role_arn, session_name, external_id, duration_seconds));
  return std::make_shared<Session>(options_, std::make_shared<StaticCredentials>(std::move(c)));
}

Result<std::pair<std::string, std::string>> Session::WhoAmI() {
  CK_ASSIGN_OR_RETURN(auto out, Client("sts").Call<api::sts::ops::GetCallerIdentity>({}));
  return std::make_pair(out.account.value_or(""), out.arn.value_or(""));
}

}  // namespace ck::client
