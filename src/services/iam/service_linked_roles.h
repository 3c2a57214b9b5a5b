// Service-linked roles: which role each AWS service principal gets from
// CreateServiceLinkedRole (name, the AWS managed policy attached, whether a
// CustomSuffix is allowed, the description AWS gives it), and the record of a
// DeleteServiceLinkedRole task.
//
// The table holds what AWS answered for each service (the AWS recordings of
// test/aws-recorded/iam.json); a service principal not in it is refused.
//
// Thread safety: constant data and plain values.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "base/fields.h"

namespace ck::services::iam {

struct ServiceLinkedRoleSpec {
  std::string_view service;      // "autoscaling.amazonaws.com"
  std::string_view role_name;    // "AWSServiceRoleForAutoScaling" (+ "_" + CustomSuffix)
  std::string_view policy_name;  // under arn:aws:iam::aws:policy/aws-service-role/
  bool custom_suffix = false;    // CustomSuffix allowed
  std::string_view description;  // when the request gives none ("" = none)
};

// The service's entry, or null when AWS has no service-linked role for it
// (as far as crosskey knows).
const ServiceLinkedRoleSpec* FindServiceLinkedRole(std::string_view service);
// The whole table, sorted by service (for tests and documentation).
std::span<const ServiceLinkedRoleSpec> ServiceLinkedRoles();

// Roles under this path are service-linked: only AWS may change them.
inline constexpr std::string_view kServiceRolePath = "/aws-service-role/";

// "arn:aws:iam::aws:policy/aws-service-role/" + policy_name.
std::string ServiceRolePolicyArn(const ServiceLinkedRoleSpec& spec);

// {"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":
// {"Service":SERVICE},"Action":"sts:AssumeRole"}]}
std::string ServiceTrustPolicy(std::string_view service);

// A DeleteServiceLinkedRole task. Table "iam.slr_deletions", key: the task
// id ("task/aws-service-role/SERVICE/ROLE/UUID"). The role is deleted at
// once, so a task is SUCCEEDED from the start.
struct SlrDeletionTask {
  std::string account, role_arn, status = "SUCCEEDED";
};
CK_DECLARE_FIELDS(SlrDeletionTask);
inline constexpr char kSlrDeletions[] = "iam.slr_deletions";

}  // namespace ck::services::iam
