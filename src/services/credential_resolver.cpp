#include "services/credential_resolver.h"

namespace ck::services {

namespace {
bool IsTwelveDigits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Status InvalidToken() {
  return AwsError("InvalidClientTokenId", 403, "The security token included in the request is invalid.");
}
}  // namespace

Principal UserPrincipal(const IamUser& user) {
  Principal p;
  p.type = Principal::Type::kUser;
  p.account = user.account;
  p.arn = user.arn;
  p.user_id = user.user_id;
  p.username = user.name;
  return p;
}

Principal RolePrincipal(const StsSession& s) {
  Principal p;
  p.type = Principal::Type::kAssumedRole;
  p.account = s.account;
  p.arn = "arn:aws:sts::" + s.account + ":assumed-role/" + s.role_name + "/" + s.session_name;
  p.role_arn = s.role_arn;
  p.user_id = s.role_id + ":" + s.session_name;
  p.session_name = s.session_name;
  p.chained = s.chained;
  p.session_expiration = s.expiration;
  p.session_policy = s.session_policy;
  p.session_policy_arns = s.session_policy_arns;
  return p;
}

Result<ResolvedCredential> CredentialResolver::Resolve(std::string_view access_key_id,
                                                       std::string_view session_token) const {
  std::string id(access_key_id);
  CK_ASSIGN_OR_RETURN(auto key, identities_.GetAccessKey(id));
  if (key) {
    if (!key->active) return InvalidToken();
    ResolvedCredential rc;
    rc.secret = key->secret;
    if (key->user_name.empty()) {
      rc.principal = Principal::Root(key->account);
    } else {
      CK_ASSIGN_OR_RETURN(auto user, identities_.GetUser(key->account, key->user_name));
      if (!user) return InvalidToken();
      rc.principal = UserPrincipal(*user);
    }
    rc.principal.access_key_id = id;
    return rc;
  }
  CK_ASSIGN_OR_RETURN(auto session, identities_.GetSession(id));
  if (session) {
    if (session_token.empty() || session_token != session->session_token) return InvalidToken();
    if (clock_.Now() >= session->expiration)
      return AwsError("ExpiredToken", 400, "The security token included in the request is expired");
    ResolvedCredential rc;
    rc.secret = session->secret;
    if (session->kind == "assumed-role") {
      rc.principal = RolePrincipal(*session);
    } else if (!session->user_name.empty()) {
      CK_ASSIGN_OR_RETURN(auto user, identities_.GetUser(session->account, session->user_name));
      if (!user) return InvalidToken();
      rc.principal = UserPrincipal(*user);
      rc.principal.session_expiration = session->expiration;
    } else {
      rc.principal = Principal::Root(session->account);
      rc.principal.session_expiration = session->expiration;
    }
    rc.principal.access_key_id = id;
    return rc;
  }
  if (strict_) return InvalidToken();
  ResolvedCredential rc;
  rc.principal = Principal::Root(IsTwelveDigits(id) ? id : default_account_);
  rc.principal.access_key_id = id;
  return rc;
}

}  // namespace ck::services
