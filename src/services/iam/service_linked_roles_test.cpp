#include "services/iam/service_linked_roles.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ck::services::iam {
namespace {

TEST(ServiceLinkedRoles, TableIsSortedSoEveryServiceIsFound) {
  auto all = ServiceLinkedRoles();
  ASSERT_GT(all.size(), 70u);
  for (size_t i = 1; i < all.size(); ++i) EXPECT_LT(all[i - 1].service, all[i].service) << all[i].service;
  for (const auto& spec : all) {
    EXPECT_EQ(FindServiceLinkedRole(spec.service), &spec);
    EXPECT_TRUE(spec.role_name.starts_with("AWSServiceRoleFor")) << spec.role_name;
  }
  EXPECT_EQ(FindServiceLinkedRole("nothing.amazonaws.com"), nullptr);
  EXPECT_EQ(FindServiceLinkedRole(""), nullptr);
}

TEST(ServiceLinkedRoles, RecordedEntries) {
  const ServiceLinkedRoleSpec* as = FindServiceLinkedRole("autoscaling.amazonaws.com");
  ASSERT_NE(as, nullptr);
  EXPECT_EQ(as->role_name, "AWSServiceRoleForAutoScaling");
  EXPECT_TRUE(as->custom_suffix);
  EXPECT_EQ(ServiceRolePolicyArn(*as), "arn:aws:iam::aws:policy/aws-service-role/AutoScalingServiceRolePolicy");
  const ServiceLinkedRoleSpec* rds = FindServiceLinkedRole("rds.amazonaws.com");
  ASSERT_NE(rds, nullptr);
  EXPECT_FALSE(rds->custom_suffix);
  EXPECT_EQ(rds->description, "Allows Amazon RDS to manage AWS resources on your behalf");
}

TEST(ServiceLinkedRoles, TrustPolicyNamesTheService) {
  auto doc = nlohmann::json::parse(ServiceTrustPolicy("batch.amazonaws.com"));
  EXPECT_EQ(doc, nlohmann::json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow",
      "Principal":{"Service":"batch.amazonaws.com"},"Action":"sts:AssumeRole"}]})"));
}

}  // namespace
}  // namespace ck::services::iam
