// Terraform inputs: a module's .tf files (HCL), and `terraform show -json`
// output for a plan or a state.
//
// Resources read (AWS provider v4/v5 schemas):
//   aws_s3_bucket (legacy inline server_side_encryption_configuration, policy),
//   aws_s3_bucket_server_side_encryption_configuration, aws_s3_bucket_policy,
//   aws_s3_object / aws_s3_bucket_object (kms_key_id),
//   aws_secretsmanager_secret (kms_key_id, policy), aws_secretsmanager_secret_policy,
//   aws_dynamodb_table (server_side_encryption, replica), aws_sqs_queue, aws_sqs_queue_policy,
//   aws_sns_topic, aws_sns_topic_policy, aws_kms_key, aws_kms_alias, aws_kms_grant;
//   data sources aws_iam_policy_document, aws_caller_identity and aws_region.
//
// In a plan, values that are "known after apply" are absent from
// planned_values; the reader puts them back as expressions carrying the
// references the configuration gives for them, so `aws_kms_key.k.arn` still
// reads as a key ARN. Thread-compatible; pure apart from its arguments.
#pragma once

#include <string>
#include <vector>

#include "tools/lint/model.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

struct HclFile {
  uint32_t file = 0;
  Node body;
};

// One module: the .tf files of one directory.
Input ReadTerraformModule(std::string name, const std::vector<HclFile>& files, const ReadOptions& options);

// A plan (format kTerraformPlan) or state (kTerraformState) as JSON.
Input ReadTerraformJson(std::string name, uint32_t file, const Node& root, Format format, const ReadOptions& options);

// Whether a parsed JSON document looks like `terraform show -json` output,
// and which kind.
bool LooksLikeTerraformJson(const Node& root, Format* format);

}  // namespace ck::tools::lint
