#include "services/credential_resolver.h"

#include "services/iam/errors.h"

namespace ck::services {

namespace {
bool IsTwelveDigits(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

Status InvalidToken() {
  return iam::errors::InvalidClientTokenId("The security token included in the request is invalid.");
}
}  // namespace

Principal UserPrincipal(const IamUser& user) {
  Principal p;
  p.type = Principal::kUser;
  p.account = user.account;
  p.arn = user.arn;
  p.user_id = user.user_id;
  p.username = user.name;
  return p;
}

Principal RolePrincipal(const StsSession& s) {
  Principal p;
  p.type = Principal::kAssumedRole;
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

Principal FederatedPrincipal(const StsSession& s) {
  Principal p;
  p.type = Principal::kFederatedUser;
  p.account = s.account;
  const std::string name = s.federated_name.value_or("");
  p.arn = "arn:aws:sts::" + s.account + ":federated-user/" + name;
  p.user_id = s.account + ":" + name;
  p.username = s.user_name;
  p.session_name = name;
  p.session_expiration = s.expiration;
  p.session_policy = s.session_policy;
  p.session_policy_arns = s.session_policy_arns;
  return p;
}

Result<std::shared_ptr<const CredentialResolver::Found>> CredentialResolver::Read(const std::string& id,
                                                                                  uint64_t generation) const {
  auto f = std::make_shared<Found>();
  f->generation = generation;
  CK_ASSIGN_OR_RETURN(auto key, identities_.GetAccessKey(id));
  if (key) {
    f->kind = Found::kKey;
    f->usable = key->active;
    f->credential.secret = key->secret;
    if (key->user_name.empty()) {
      f->credential.principal = Principal::Root(key->account);
    } else {
      CK_ASSIGN_OR_RETURN(auto user, identities_.GetUser(key->account, key->user_name));
      if (user) {
        f->credential.principal = UserPrincipal(*user);
      } else {
        f->usable = false;
      }
    }
    f->credential.principal.access_key_id = id;
    return std::shared_ptr<const Found>(std::move(f));
  }
  CK_ASSIGN_OR_RETURN(auto session, identities_.GetSession(id));
  if (session) {
    f->kind = Found::kSession;
    f->session_token = session->session_token;
    f->expiration = session->expiration;
    f->credential.secret = session->secret;
    if (session->kind == "assumed-role") {
      f->credential.principal = RolePrincipal(*session);
    } else if (session->kind == "federated-user") {
      f->credential.principal = FederatedPrincipal(*session);
    } else if (!session->user_name.empty()) {
      CK_ASSIGN_OR_RETURN(auto user, identities_.GetUser(session->account, session->user_name));
      if (user) {
        f->credential.principal = UserPrincipal(*user);
      } else {
        f->usable = false;
      }
      f->credential.principal.session_expiration = session->expiration;
    } else {
      f->credential.principal = Principal::Root(session->account);
      f->credential.principal.session_expiration = session->expiration;
    }
    f->credential.principal.access_key_id = id;
  }
  return std::shared_ptr<const Found>(std::move(f));
}

Result<std::shared_ptr<const CredentialResolver::Found>> CredentialResolver::Find(const std::string& id) const {
  // Read before the store: a write landing meanwhile makes this entry stale.
  const uint64_t generation = identities_.credential_generation();
  if (auto cached = found_.Find(id); cached && cached->generation == generation) return cached;
  CK_ASSIGN_OR_RETURN(auto found, Read(id, generation));
  found_.Put(id, found);
  return found;
}

Result<ResolvedCredential> CredentialResolver::Resolve(std::string_view access_key_id,
                                                       std::string_view session_token) const {
  std::string id(access_key_id);
  CK_ASSIGN_OR_RETURN(auto found, Find(id));
  const Found& f = *found;
  if (f.kind == Found::kKey) {
    if (!f.usable) return InvalidToken();
    return f.credential;
  }
  if (f.kind == Found::kSession) {
    if (session_token.empty() || session_token != f.session_token) return InvalidToken();
    if (clock_.Now() >= f.expiration)
      return iam::errors::ExpiredToken("The security token included in the request is expired");
    if (!f.usable) return InvalidToken();
    return f.credential;
  }
  if (strict_) return InvalidToken();
  ResolvedCredential rc;
  rc.principal = Principal::Root(IsTwelveDigits(id) ? id : default_account_);
  rc.principal.access_key_id = id;
  return rc;
}

}  // namespace ck::services
