// CredentialResolver: access key id (+ session token) → Principal and the
// secret to verify the signature with.
//
// Keys issued by IAM (CreateAccessKey), declared in the config, or issued by
// STS are looked up first. Then the LocalStack-compatible conventions, unless
// strict: a 12-digit access key id is the root of that account, and any other
// unknown key is the root of the default account; neither has a known secret,
// so their signatures are not checked. In strict mode only known keys work.
//
// What the store says about an access key id (including "unknown") is cached
// until a write to keys, sessions or users (IdentityStore::credential_generation),
// so authenticating a request reads nothing; session tokens and expiry are
// still checked on every request.
//
// Errors come from the IAM catalogue (iam/errors.h), whose AWS codes the
// gateway maps per protocol: InvalidClientTokenId (unknown or inactive key,
// or a session key without, or with the wrong, session token), ExpiredToken.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "core/principal.h"
#include "services/common/sharded_cache.h"
#include "services/iam/identity_store.h"

namespace ck::services {

struct ResolvedCredential {
  Principal principal;
  std::optional<std::string> secret;  // nullopt: dev convention, signature not verified
};

class CredentialResolver {
 public:
  CredentialResolver(IdentityStore& identities, const Clock& clock, bool strict, std::string default_account)
      : identities_(identities), clock_(clock), strict_(strict), default_account_(std::move(default_account)) {}

  Result<ResolvedCredential> Resolve(std::string_view access_key_id, std::string_view session_token) const;
  bool strict() const { return strict_; }
  const std::string& default_account() const { return default_account_; }

 private:
  // The stored facts about one access key id, as read at `generation`.
  struct Found {
    uint64_t generation = 0;
    enum Kind { kUnknown, kKey, kSession } kind = kUnknown;
    bool usable = true;  // keys: active; keys and sessions of users: the user still exists
    ResolvedCredential credential;
    std::string session_token;  // sessions
    TimePoint expiration{};     // sessions
  };
  Result<std::shared_ptr<const Found>> Find(const std::string& id) const;
  Result<std::shared_ptr<const Found>> Read(const std::string& id, uint64_t generation) const;

  IdentityStore& identities_;
  const Clock& clock_;
  bool strict_;
  std::string default_account_;
  mutable ShardedCache<Found, 8> found_;  // by access key id (unknown ids too)
};

// Principals for stored identities (also used by STS and IAM responses).
Principal UserPrincipal(const IamUser& user);
Principal RolePrincipal(const StsSession& session);
// A GetFederationToken session: arn:aws:sts::ACCOUNT:federated-user/NAME,
// user id ACCOUNT:NAME; `username` names the IAM user whose permissions it
// narrows (empty: the account root).
Principal FederatedPrincipal(const StsSession& session);

}  // namespace ck::services
