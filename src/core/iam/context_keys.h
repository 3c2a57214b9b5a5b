// Fills the global condition keys (aws:*) of a request context from the
// calling Principal and the facts of the request, as the IAM user guide's
// "AWS global condition context keys" describes them:
//   aws:PrincipalArn      the user / root ARN; for a role session the ROLE ARN
//   aws:PrincipalAccount  the principal's account
//   aws:PrincipalType     Account | User | AssumedRole | FederatedUser | Anonymous
//   aws:userid            AIDA… / "AROA…:session" / account id / "anonymous"
//   aws:username          IAM users only
//   aws:PrincipalServiceName, aws:PrincipalIsAWSService  service principals
//   aws:SourceIp, aws:SecureTransport, aws:CurrentTime (ISO 8601),
//   aws:EpochTime, aws:RequestedRegion, aws:ViaAWSService,
//   aws:CalledVia (multivalued), aws:CalledViaFirst, aws:CalledViaLast,
//   aws:ResourceAccount
// Keys whose fact is unknown (empty) are left out, so "absent key" rules apply.
//
// GlobalKeys computes them on demand for one request (most policies test
// none); AddGlobalKeys writes them all into a map (tests, policy simulation).
// GlobalKeys is used by one thread at a time; AddGlobalKeys is thread-safe.
#pragma once

#include <array>
#include <bitset>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "base/clock.h"
#include "core/iam/request_context.h"

namespace ck::core::iam {

struct RequestFacts {
  std::string source_ip;  // leave empty for calls a service makes on the caller's behalf
  bool secure_transport = false;
  TimePoint now{};
  // When set, the time is read from it the first time a policy asks for
  // aws:CurrentTime or aws:EpochTime (most requests never do), instead of `now`.
  const Clock* clock = nullptr;
  std::string requested_region;
  // Service principals the request passed through, first to last
  // ("s3.amazonaws.com"); non-empty means a forward-access session. A view:
  // the caller keeps the strings alive while the facts are in use.
  std::span<const std::string> called_via;
  bool via_aws_service = false;
  std::string resource_account;
};

const char* PrincipalTypeName(Principal::Type type);

// The global keys of one request, computed when first asked for. Holds
// references: the principal and the facts must outlive it.
class GlobalKeys final : public KeySource {
 public:
  GlobalKeys(const Principal& principal, const RequestFacts& facts) : principal_(principal), facts_(facts) {}
  std::span<const std::string> Find(std::string_view key) const override;

  // Every global key name, in the order AddGlobalKeys writes them.
  static std::span<const std::string_view> Names();

 private:
  enum Computed { kCurrentTime, kEpochTime, kComputedCount };
  std::span<const std::string> Compute(Computed slot) const;

  const Principal& principal_;
  const RequestFacts& facts_;
  TimePoint Now() const;

  mutable std::array<std::string, kComputedCount> computed_;
  mutable std::optional<TimePoint> now_;
  mutable std::bitset<kComputedCount> ready_;
};

// Adds (overwriting) the global keys to *keys.
void AddGlobalKeys(const Principal& principal, const RequestFacts& facts, ContextKeys* keys);

}  // namespace ck::core::iam
