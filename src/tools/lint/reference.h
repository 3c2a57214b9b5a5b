// Key references and principals as literal text: which of KMS's forms a
// string is (AWS-SEMANTICS §1.1, classified the way core/kms/resolver reads a
// reference), and what ARN an unqualified one stands for in a given account
// and region. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tools/lint/model.h"

namespace ck::tools::lint {

struct LiteralRef {
  RefForm form = RefForm::kInvalid;
  bool managed = false;                    // alias/aws/... or its ARN
  std::string alias_name;                  // kAliasName, kAliasArn: "alias/NAME"
  std::string key_id;                      // kKeyId, kKeyArn
  std::string account, region, partition;  // ARNs
};

// Classifies `text` as KMS does: an ARN names its account and region; a key
// id (UUID or mrk-...) or "alias/NAME" is resolved in the caller's; anything
// else is an invalid key id.
LiteralRef ClassifyLiteral(std::string_view text);

// "aws", "aws-cn" (cn-*) or "aws-us-gov" (us-gov-*).
std::string PartitionOf(std::string_view region);

// The ARN an unqualified reference means for a caller in `account`/`region`:
// arn:PARTITION:kms:REGION:ACCOUNT:alias/NAME or ...:key/ID. "" when account
// or region is unknown or `ref` is not a key id or alias name.
std::string QualifiedArn(const LiteralRef& ref, const std::string& account, const std::string& region);

bool IsAccountId(std::string_view s);

// A principal written as text: "*", a 12-digit account, or an IAM/STS ARN.
PolicyPrincipal PrincipalFromText(std::string_view text);

}  // namespace ck::tools::lint
