// The key policies KMS writes itself: the default policy of CreateKey without
// Policy (AWS-SEMANTICS §1.6) and the policies of AWS managed keys (§1.5),
// which restrict use to the owning account through the owning service with
// kms:CallerAccount and kms:ViaService, so cross-account and direct use fail
// in policy evaluation rather than in special cases.
//
// Thread safety: pure functions over constant tables.
#pragma once

#include <string>
#include <string_view>

namespace ck::core::kms {

std::string DefaultKeyPolicy(const std::string& account);

struct ManagedAlias {
  std::string_view alias;        // "alias/aws/s3"
  std::string_view service;      // "s3" (the kms:ViaService prefix)
  std::string_view description;  // DescribeKey Description
  std::string_view policy_id;    // "auto-s3-2"
  bool allow_create_grant;       // Secrets Manager / DynamoDB / EBS also get kms:CreateGrant
};

// The AWS managed alias entry for `alias`, or nullptr when it is not one KMS
// creates on first use.
const ManagedAlias* FindManagedAlias(std::string_view alias);

std::string ManagedKeyPolicy(const ManagedAlias& m, const std::string& account, const std::string& region);

}  // namespace ck::core::kms
