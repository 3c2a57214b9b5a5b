// Principal: who is calling, as authentication established it. A value type
// shared by auth (which produces it), the policy evaluator (core/iam, which
// matches it against policies: it reads arn, account, type, role_arn, user_id,
// username and service) and every service (which names it in errors and
// events). The evaluator takes it by reference: authorizing a call copies no
// principal.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/clock.h"

namespace ck {

struct Principal {
  // The numbering is stored (CloudTrail's binary event records): append only.
  enum class Type { kRoot, kUser, kAssumedRole, kFederatedUser, kService, kAnonymous };
  using enum Type;  // Principal::kUser

  // The members the evaluator reads come first, in this order (tables of
  // test principals initialise them positionally).
  std::string arn;        // arn:aws:iam::A:root | arn:aws:iam::A:user/PATH/N | arn:aws:sts::A:assumed-role/R/S
  std::string account;    // 12 digits ("" for anonymous and service principals)
  Type type = Type::kAnonymous;
  std::string role_arn;   // assumed roles: arn:aws:iam::A:role/PATH/NAME
  std::string user_id;    // AIDA... for users, AROA...:SESSION for role sessions, account id for root
  std::string username;   // users; federated users: the IAM user that federated them (empty: the root)
  std::string service;    // service principals ("s3.amazonaws.com")
  std::string session_name;  // assumed roles; federated users: their name
  std::string access_key_id;  // the key the request was signed with
  // Role sessions: whether they came from another role session (chaining caps duration at 1 h).
  bool chained = false;
  std::optional<TimePoint> session_expiration;
  // Inline session policy (JSON) and managed session policy ARNs, narrowing a
  // role session or a federated user (which has no permissions without them).
  std::optional<std::string> session_policy;
  std::vector<std::string> session_policy_arns;

  bool is_anonymous() const { return type == Type::kAnonymous; }
  // "Account", "User", "AssumedRole", "FederatedUser", "AWSService", "Anonymous" (aws:PrincipalType).
  const char* TypeName() const;

  static Principal Root(const std::string& account);
  static Principal Anonymous();
};

}  // namespace ck
