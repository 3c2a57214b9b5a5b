// PolicyAuthorizer: the one place services ask "may this principal do this?".
// It gathers the caller's identity policies (inline and attached, for users
// and roles), session policies, and the request's global context keys, then
// calls the pure evaluator (core/iam) with the resource policy the service
// supplies. Parsed policies are cached by document text, and each user's or
// role's set of identity policies by name until an IAM write changes any
// (IdentityStore::policy_generation), so a request reads no IAM record.
//
// Thread safety: safe for concurrent use; the caches are sharded.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "core/iam/context_keys.h"
#include "core/iam/evaluator.h"
#include "core/iam/policy_document.h"
#include "core/principal.h"
#include "services/common/errors.h"
#include "services/common/sharded_cache.h"
#include "services/iam/identity_store.h"
#include "services/service.h"

namespace ck::services {

// The facts of a call every authorization carries, whichever way the call
// arrived (an HTTP request's RequestContext, or KMS's in-process KmsCaller).
struct CallFacts {
  const Principal* principal = nullptr;
  std::string_view region;
  std::string_view source_ip;  // empty for forward access sessions
  bool secure_transport = false;
  std::span<const std::string> called_via;  // {"s3.amazonaws.com"} for forward access sessions
};
CallFacts FactsOf(const RequestContext& ctx);

struct AuthzRequest {
  // Every request fills its facts the same way: principal, action, resource,
  // region, source IP, secure transport and the forward-access chain.
  static AuthzRequest For(const CallFacts& facts, std::string action, std::string resource);
  static AuthzRequest For(const RequestContext& ctx, std::string action, std::string resource) {
    return For(FactsOf(ctx), std::move(action), std::move(resource));
  }

  const Principal* principal = nullptr;
  std::string action;            // "kms:Encrypt"
  std::string resource;          // ARN ("*" for actions on no resource)
  std::string resource_account;  // owner; "" = the caller's account
  const core::iam::Policy* resource_policy = nullptr;
  bool resource_policy_required = false;  // KMS key policies, role trust policies
  // What the resource policy is called in decision records ("key policy").
  std::string_view resource_policy_kind = "resource policy";
  core::iam::ContextKeys keys;         // service-specific keys (kms:ViaService, s3:prefix, ...)
  const core::iam::KeySource* service_keys = nullptr;  // more of them, computed on demand
  // Request facts for the global keys.
  std::string region;
  std::string source_ip;
  bool secure_transport = false;
  // Forward access sessions: {"s3.amazonaws.com"}. A view: the caller keeps
  // the strings alive for the Authorize call.
  std::span<const std::string> called_via;
};

class PolicyAuthorizer {
 public:
  PolicyAuthorizer(IdentityStore& identities, const Clock& clock) : identities_(identities), clock_(clock) {}

  // The decision; a Status only when stored data could not be read.
  Result<core::iam::EvaluationResult> Authorize(const AuthzRequest& request);

  // Parses (or returns the cached parse of) a policy document. Errors are the
  // evaluator's MalformedPolicyDocument statuses.
  Result<std::shared_ptr<const core::iam::Policy>> Parse(const std::string& document, core::iam::PolicyKind kind);

  // The policy documents of an AWS managed policy ARN, or nullptr.
  static const char* AwsManagedPolicy(std::string_view arn);
  // The ARNs of the AWS managed policies crosskey knows, in a fixed order.
  static std::vector<std::string_view> AwsManagedPolicyArns();

 private:
  using PolicyList = std::vector<std::shared_ptr<const core::iam::Policy>>;
  // The identity policies of one user or role, as read at `generation`.
  struct IdentitySet {
    uint64_t generation = 0;
    PolicyList policies;
    std::shared_ptr<const core::iam::Policy> boundary;  // the permissions boundary, if any
  };

  // The principal's identity policies (nullptr for principals without any:
  // roots, anonymous and service principals), from the cache when current.
  Result<std::shared_ptr<const IdentitySet>> IdentityPolicies(const Principal& p);
  Result<std::shared_ptr<const IdentitySet>> ReadIdentityPolicies(const Principal& p, uint64_t generation);
  Status SessionPolicies(const Principal& p, PolicyList* out);
  Status AddManaged(const std::string& arn, PolicyList* out);

  IdentityStore& identities_;
  const Clock& clock_;
  ShardedCache<core::iam::Policy> policies_;      // by kind and document text
  ShardedCache<IdentitySet> identity_sets_;       // by "u/" or "r/", account and lower-case name
};

// The denial of a denied evaluation, as the service's catalogue entry for it
// (S3/STS/IAM "AccessDenied" 403, JSON services "AccessDeniedException" 400,
// each with canonical code kPermissionDenied whatever the HTTP status, so a
// caller such as Secrets Manager calling KMS recognises a denial by code()).
Status AccessDeniedFor(const core::iam::EvaluationResult& result, const ErrorSpec& spec, bool redact_resource = false);
// The same for a service without a catalogue yet: the AWS code and status
// given, canonical code kPermissionDenied.
Status AccessDeniedFor(const core::iam::EvaluationResult& result, const std::string& aws_code, int http_status,
                       bool redact_resource = false);

}  // namespace ck::services
