#include "core/kms/policies.h"

#include <nlohmann/json.hpp>

namespace ck::core::kms {

namespace {

const ManagedAlias kManaged[] = {
    {"alias/aws/s3", "s3", "Default key that protects my S3 objects when no other key is defined", "auto-s3-2", false},
    {"alias/aws/secretsmanager", "secretsmanager",
     "Default key that protects my Secrets Manager data when no other key is defined", "auto-secretsmanager-1", true},
    {"alias/aws/dynamodb", "dynamodb", "Default key that protects my DynamoDB data when no other key is defined",
     "auto-dynamodb-1", true},
    {"alias/aws/ebs", "ec2", "Default key that protects my EBS volumes when no other key is defined", "auto-ebs-2",
     true},
    {"alias/aws/rds", "rds", "Default key that protects my RDS database volumes when no other key is defined",
     "auto-rds-2", true},
    {"alias/aws/lambda", "lambda", "Default key that protects my Lambda functions when no other key is defined",
     "auto-lambda-1", true},
    {"alias/aws/ssm", "ssm", "Default key that protects my SSM parameters when no other key is defined",
     "auto-ssm-1", false},
    {"alias/aws/sqs", "sqs", "Default key that protects my SQS messages when no other key is defined", "auto-sqs-1",
     false},
    {"alias/aws/sns", "sns", "Default key that protects my SNS data when no other key is defined", "auto-sns-1",
     false},
};

}  // namespace

std::string DefaultKeyPolicy(const std::string& account) {
  // The exact layout GetKeyPolicy returns in AWS's examples (spaces around colons).
  return "{\n  \"Version\" : \"2012-10-17\",\n  \"Id\" : \"key-default-1\",\n  \"Statement\" : [ {\n"
         "    \"Sid\" : \"Enable IAM User Permissions\",\n    \"Effect\" : \"Allow\",\n"
         "    \"Principal\" : {\n      \"AWS\" : \"arn:aws:iam::" +
         account +
         ":root\"\n    },\n    \"Action\" : \"kms:*\",\n    \"Resource\" : \"*\"\n  } ]\n}";
}

const ManagedAlias* FindManagedAlias(std::string_view alias) {
  for (const auto& m : kManaged)
    if (m.alias == alias) return &m;
  return nullptr;
}

std::string ManagedKeyPolicy(const ManagedAlias& m, const std::string& account, const std::string& region) {
  using nlohmann::json;
  json actions = {"kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"};
  if (m.allow_create_grant) actions.push_back("kms:CreateGrant");
  std::string svc(m.service);
  json policy = {
      {"Version", "2012-10-17"},
      {"Id", m.policy_id},
      {"Statement",
       {{{"Sid", "Allow access through " + svc + " for all principals in the account that are authorized to use " +
                     svc},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", "*"}}},
         {"Action", actions},
         {"Resource", "*"},
         {"Condition",
          {{"StringEquals",
            {{"kms:CallerAccount", account}, {"kms:ViaService", svc + "." + region + ".amazonaws.com"}}}}}},
        {{"Sid", "Allow direct access to key metadata to the account"},
         {"Effect", "Allow"},
         {"Principal", {{"AWS", "arn:aws:iam::" + account + ":root"}}},
         {"Action", {"kms:Describe*", "kms:Get*", "kms:List*"}},
         {"Resource", "*"}}}}};
  return policy.dump(2);
}

}  // namespace ck::core::kms
