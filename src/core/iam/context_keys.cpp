#include "core/iam/context_keys.h"

#include <cmath>

#include "core/iam/wildcard.h"

namespace ck::core::iam {

namespace {

constexpr std::string_view kNames[] = {
    "aws:PrincipalServiceName", "aws:PrincipalIsAWSService", "aws:PrincipalType", "aws:userid",
    "aws:PrincipalArn",         "aws:PrincipalAccount",      "aws:username",      "aws:SourceIp",
    "aws:SecureTransport",      "aws:CurrentTime",           "aws:EpochTime",     "aws:RequestedRegion",
    "aws:ViaAWSService",        "aws:CalledVia",             "aws:CalledViaFirst", "aws:CalledViaLast",
    "aws:ResourceAccount",
};

// Constant values a span can point at.
const std::string kTrue = "true";
const std::string kFalse = "false";
const std::string kAnonymousUserId = "anonymous";
const std::string kTypeNames[] = {"Account", "User", "AssumedRole", "FederatedUser", "AWSService", "Anonymous"};

std::span<const std::string> One(const std::string& value) {
  return value.empty() ? std::span<const std::string>() : std::span<const std::string>(&value, 1);
}
std::span<const std::string> Bool(bool b) { return One(b ? kTrue : kFalse); }

}  // namespace

// UNVERIFIED: AWS documents no aws:PrincipalType for service principals ("AWSService").
const char* PrincipalTypeName(Principal::Type type) { return kTypeNames[static_cast<size_t>(type)].c_str(); }

std::span<const std::string_view> GlobalKeys::Names() { return kNames; }

TimePoint GlobalKeys::Now() const {
  if (!now_) now_ = facts_.clock ? facts_.clock->Now() : facts_.now;
  return *now_;
}

std::span<const std::string> GlobalKeys::Compute(Computed slot) const {
  if (!ready_[slot]) {
    switch (slot) {
      case kCurrentTime: computed_[slot] = FormatIso8601(Now()); break;
      case kEpochTime:
        computed_[slot] = std::to_string(static_cast<long long>(std::floor(ToEpochSeconds(Now()))));
        break;
      case kComputedCount: break;
    }
    ready_[slot] = true;
  }
  return One(computed_[slot]);
}

std::span<const std::string> GlobalKeys::Find(std::string_view key) const {
  if (key.size() < 4 || !EqualsIgnoreCase(key.substr(0, 4), "aws:")) return {};
  const Principal& p = principal_;
  const RequestFacts& f = facts_;
  auto is = [key](std::string_view name) { return EqualsIgnoreCase(key, name); };
  const bool service = p.type == Principal::kService;
  const bool anonymous = p.type == Principal::kAnonymous;
  if (is("aws:PrincipalServiceName")) return service ? One(p.service) : std::span<const std::string>();
  if (is("aws:PrincipalIsAWSService")) return Bool(service);
  if (service) {
    // A service principal carries only the two keys above among the principal keys.
  } else if (is("aws:PrincipalType")) {
    return One(kTypeNames[static_cast<size_t>(p.type)]);
  } else if (is("aws:userid")) {
    return anonymous ? One(kAnonymousUserId) : One(p.user_id);
  } else if (!anonymous) {
    if (is("aws:PrincipalArn")) return One(p.type == Principal::kAssumedRole && !p.role_arn.empty() ? p.role_arn : p.arn);
    if (is("aws:PrincipalAccount")) return One(p.account);
    if (is("aws:username")) return p.type == Principal::kUser ? One(p.username) : std::span<const std::string>();
  }
  if (is("aws:SourceIp")) return One(f.source_ip);
  if (is("aws:SecureTransport")) return Bool(f.secure_transport);
  if (is("aws:CurrentTime")) return Compute(kCurrentTime);
  if (is("aws:EpochTime")) return Compute(kEpochTime);
  if (is("aws:RequestedRegion")) return One(f.requested_region);
  if (is("aws:ViaAWSService")) return Bool(f.via_aws_service);
  if (!f.called_via.empty()) {
    if (is("aws:CalledVia")) return f.called_via;
    if (is("aws:CalledViaFirst")) return f.called_via.first(1);
    if (is("aws:CalledViaLast")) return f.called_via.last(1);
  }
  if (is("aws:ResourceAccount")) return One(f.resource_account);
  return {};
}

void AddGlobalKeys(const Principal& p, const RequestFacts& f, ContextKeys* keys) {
  GlobalKeys globals(p, f);
  for (std::string_view name : GlobalKeys::Names()) {
    auto values = globals.Find(name);
    if (!values.empty()) (*keys)[std::string(name)] = std::vector<std::string>(values.begin(), values.end());
  }
}

}  // namespace ck::core::iam
