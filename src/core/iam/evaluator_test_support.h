// Shared fixtures for the evaluator tests: canned principals in two accounts
// and small builders for policy JSON. Test-only.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "core/iam/evaluator.h"

namespace ck::core::iam::testing {

inline constexpr const char* kA = "111111111111";
inline constexpr const char* kB = "222222222222";
inline constexpr const char* kObj = "arn:aws:s3:::bucket1/key";
inline constexpr const char* kKey = "arn:aws:kms:us-east-1:111111111111:key/k1";
inline constexpr const char* kTargetRole = "arn:aws:iam::111111111111:role/target";
inline constexpr const char* kAlice = "arn:aws:iam::111111111111:user/alice";
inline constexpr const char* kBob = "arn:aws:iam::111111111111:user/bob";
inline constexpr const char* kCarol = "arn:aws:iam::222222222222:user/carol";
inline constexpr const char* kAppRole = "arn:aws:iam::111111111111:role/app";
inline constexpr const char* kAppSess = "arn:aws:sts::111111111111:assumed-role/app/sess1";
inline constexpr const char* kRole2 = "arn:aws:iam::222222222222:role/role2";
inline constexpr const char* kRole2Sess = "arn:aws:sts::222222222222:assumed-role/role2/s2";
inline constexpr const char* kRootAArn = "arn:aws:iam::111111111111:root";
inline constexpr const char* kRootBArn = "arn:aws:iam::222222222222:root";

enum class Who { kAlice, kBob, kCarolB, kSessA, kSessB, kRootA, kRootB, kAnon, kSvcS3, kSvcEc2, kFedA };

inline Principal MakePrincipal(Who who) {
  Principal p;
  switch (who) {
    case Who::kAlice:
      p = {kAlice, kA, Principal::kUser, "", "AIDAALICEEXAMPLE0001", "alice", ""};
      break;
    case Who::kBob:
      p = {kBob, kA, Principal::kUser, "", "AIDABOBEXAMPLE000002", "bob", ""};
      break;
    case Who::kCarolB:
      p = {kCarol, kB, Principal::kUser, "", "AIDACAROLEXAMPLE0003", "carol", ""};
      break;
    case Who::kSessA:
      p = {kAppSess, kA, Principal::kAssumedRole, kAppRole, "AROAAPPEXAMPLE000004:sess1", "", ""};
      break;
    case Who::kSessB:
      p = {kRole2Sess, kB, Principal::kAssumedRole, kRole2, "AROAROLE2EXAMPLE0005:s2", "", ""};
      break;
    case Who::kRootA:
      p = {kRootAArn, kA, Principal::kRoot, "", kA, "", ""};
      break;
    case Who::kRootB:
      p = {kRootBArn, kB, Principal::kRoot, "", kB, "", ""};
      break;
    case Who::kAnon:
      p = {"anonymous", "", Principal::kAnonymous, "", "", "", ""};
      break;
    case Who::kSvcS3:
      p = {"s3.amazonaws.com", "", Principal::kService, "", "", "", "s3.amazonaws.com"};
      break;
    case Who::kSvcEc2:
      p = {"ec2.amazonaws.com", "", Principal::kService, "", "", "", "ec2.amazonaws.com"};
      break;
    case Who::kFedA:
      p = {"arn:aws:sts::111111111111:federated-user/fed", kA, Principal::kFederatedUser, "", "111111111111:fed", "", ""};
      break;
  }
  return p;
}

// One statement without Principal. cond is the body of the Condition object
// (e.g. R"("StringEquals":{"k":"v"})"), empty for none.
inline std::string St(const std::string& effect, const std::string& action, const std::string& resource,
                      const std::string& cond = "", const std::string& action_key = "Action",
                      const std::string& resource_key = "Resource") {
  std::string s = "{\"Effect\":\"" + effect + "\",\"" + action_key + "\":" + action + ",\"" + resource_key + "\":" + resource;
  if (!cond.empty()) s += ",\"Condition\":{" + cond + "}";
  return s + "}";
}
// One statement with a principal element (JSON value, e.g. R"({"AWS":"..."})").
inline std::string PSt(const std::string& effect, const std::string& principal, const std::string& action,
                       const std::string& resource, const std::string& cond = "",
                       const std::string& principal_key = "Principal") {
  std::string s = "{\"Effect\":\"" + effect + "\",\"" + principal_key + "\":" + principal + ",\"Action\":" + action;
  if (!resource.empty()) s += ",\"Resource\":" + resource;
  if (!cond.empty()) s += ",\"Condition\":{" + cond + "}";
  return s + "}";
}
inline std::string Q(const std::string& s) { return "\"" + s + "\""; }
inline std::string Aws(const std::string& arn) { return "{\"AWS\":\"" + arn + "\"}"; }
inline std::string Doc(const std::vector<std::string>& statements, const char* version = "2012-10-17") {
  std::string s = "{";
  if (version != nullptr) s += "\"Version\":\"" + std::string(version) + "\",";
  s += "\"Statement\":[";
  for (size_t i = 0; i < statements.size(); ++i) s += (i ? "," : "") + statements[i];
  return s + "]}";
}
inline std::string AllowAll() { return Doc({St("Allow", Q("*"), Q("*"))}); }
inline std::string Allow(const std::string& action, const std::string& resource = "*") {
  return Doc({St("Allow", Q(action), Q(resource))});
}
inline std::string DenyDoc(const std::string& action, const std::string& resource = "*") {
  return Doc({St("Deny", Q(action), Q(resource))});
}
// Identity policy allowing everything under a condition.
inline std::string CondAllow(const std::string& cond) { return Doc({St("Allow", Q("*"), Q("*"), cond)}); }

using Reason = EvaluationResult::DenyReason;
using Keys = std::vector<std::pair<std::string, std::vector<std::string>>>;
inline constexpr Decision kAllow = Decision::kAllow;
inline constexpr Decision kImplicit = Decision::kImplicitDeny;
inline constexpr Decision kExplicit = Decision::kExplicitDeny;

// One row of an evaluation table. Policies are JSON; the resource policy is
// parsed as rp_kind.
struct Case {
  const char* rule;  // the AWS documentation rule the row checks
  const char* name;
  Who who = Who::kAlice;
  std::vector<std::string> identity = {};
  std::string resource_policy = {};
  std::string boundary = {};
  std::optional<std::vector<std::string>> session = {};
  bool required = false;
  std::string action = "s3:GetObject";
  std::string resource = kObj;
  std::string resource_account = kA;
  Keys keys = {};
  Decision want = kAllow;
  Reason reason = Reason::kNone;
  PolicyKind rp_kind = PolicyKind::kResource;
};

inline std::unique_ptr<Policy> MustParse(const std::string& json, PolicyKind kind) {
  auto r = ParsePolicy(json, kind);
  EXPECT_TRUE(r.ok()) << r.status().message() << "\n" << json;
  if (!r.ok()) return nullptr;
  return std::make_unique<Policy>(std::move(r).value());
}

// Parses the row's policies, evaluates, and checks decision and reason.
inline void RunCase(const Case& k) {
  SCOPED_TRACE(std::string(k.name) + " [" + k.rule + "]");
  std::vector<std::unique_ptr<Policy>> owned;
  auto parse = [&](const std::string& json, PolicyKind kind) -> const Policy* {
    owned.push_back(MustParse(json, kind));
    return owned.back().get();
  };
  Principal p = MakePrincipal(k.who);
  RequestContext ctx;
  ctx.action = k.action;
  ctx.resource = k.resource;
  ctx.resource_account = k.resource_account;
  for (const auto& [key, values] : k.keys) ctx.keys[key] = values;
  EvaluationInput in;
  in.principal = &p;
  in.context = &ctx;
  for (const std::string& j : k.identity) in.identity_policies.push_back(parse(j, PolicyKind::kIdentity));
  if (!k.resource_policy.empty()) in.resource_policy = parse(k.resource_policy, k.rp_kind);
  if (!k.boundary.empty()) in.permissions_boundary = parse(k.boundary, PolicyKind::kIdentity);
  if (k.session) {
    in.session_policies.emplace();
    for (const std::string& j : *k.session) in.session_policies->push_back(parse(j, PolicyKind::kSession));
  }
  in.resource_policy_required = k.required;
  for (const auto& o : owned) {
    if (o == nullptr) return;
  }
  EvaluationResult r = Evaluate(in);
  EXPECT_EQ(static_cast<int>(r.decision), static_cast<int>(k.want));
  EXPECT_EQ(static_cast<int>(r.reason), static_cast<int>(k.reason));
}

inline void PrintTo(const Case& c, std::ostream* os) { *os << c.name << " [" << c.rule << "]"; }

inline std::string CaseName(const ::testing::TestParamInfo<Case>& info) { return info.param.name; }

}  // namespace ck::core::iam::testing
