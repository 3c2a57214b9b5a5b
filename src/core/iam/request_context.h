// The inputs of an authorization decision that are not policies: who is asking
// (Principal) and what they ask for (RequestContext: action, resource and the
// condition context keys).
//
// Plain value types; the evaluator only reads them. Safe to share between
// threads once built.
#pragma once

#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"

namespace ck::core::iam {

// Orders strings ignoring ASCII case: condition key names are case-insensitive
// ("aws:SourceIp" and "AWS:sourceip" are the same key), values are not.
struct CaseInsensitiveLess {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const {
    size_t n = a.size() < b.size() ? a.size() : b.size();
    for (size_t i = 0; i < n; ++i) {
      unsigned char ca = static_cast<unsigned char>(a[i]);
      unsigned char cb = static_cast<unsigned char>(b[i]);
      if (ca >= 'A' && ca <= 'Z') ca = static_cast<unsigned char>(ca + 32);
      if (cb >= 'A' && cb <= 'Z') cb = static_cast<unsigned char>(cb + 32);
      if (ca != cb) return ca < cb;
    }
    return a.size() < b.size();
  }
};

// Condition context: key → values. A single-valued key holds one value; a
// multivalued key (aws:CalledVia, aws:TagKeys) holds several. A key with an
// empty vector counts as absent.
using ContextKeys = std::map<std::string, std::vector<std::string>, CaseInsensitiveLess>;

// Condition keys computed only when a policy condition or variable asks for
// them: most policies test no condition, so building every key of every
// request up front would be wasted work on the hot path.
class KeySource {
 public:
  // The values of `key` (its name matched ignoring ASCII case); an empty span
  // when the key is absent. The span stays valid while the source lives.
  virtual std::span<const std::string> Find(std::string_view key) const = 0;

 protected:
  ~KeySource() = default;
};

// The authenticated caller, as the auth layer resolved it: the one Principal
// type (core/principal.h), read in place. For an identity provider in a trust
// policy (AssumeRoleWithWebIdentity/SAML), STS passes the provider ARN or name
// as the arn with type kFederatedUser so that "Federated" principal entries
// can match it.
using Principal = ::ck::Principal;

// Views: the caller keeps the action and resource strings alive while
// evaluating (a request context lives for one Evaluate call).
struct RequestContext {
  std::string_view action;            // "kms:Encrypt"; matched case-insensitively
  std::string_view resource;          // the resource ARN; matched case-sensitively
  std::string_view resource_account;  // owner of the resource; empty = the caller's account
  ContextKeys keys;                        // explicit keys, consulted first
  const KeySource* service_keys = nullptr;  // a service's own keys (kms:*, s3:*), on demand
  const KeySource* global_keys = nullptr;   // aws:* keys (GlobalKeys), on demand
};

}  // namespace ck::core::iam
