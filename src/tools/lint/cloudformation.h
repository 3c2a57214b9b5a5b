// CloudFormation templates (YAML or JSON).
//
// Resource types read: AWS::S3::Bucket (BucketEncryption), AWS::S3::BucketPolicy,
// AWS::SecretsManager::Secret (KmsKeyId), AWS::SecretsManager::ResourcePolicy,
// AWS::DynamoDB::Table and AWS::DynamoDB::GlobalTable (SSESpecification),
// AWS::SQS::Queue, AWS::SQS::QueuePolicy, AWS::SNS::Topic, AWS::SNS::TopicPolicy,
// AWS::KMS::Key (KeyPolicy) and AWS::KMS::Alias.
//
// Intrinsic functions, long form ({"Ref": ...}, {"Fn::GetAtt": ...}) or YAML
// short form (!Ref, !GetAtt, !Sub, !Join, ...), become expressions: `!Ref Key`
// of an AWS::KMS::Key is its key id (unqualified), `!GetAtt Key.Arn` its ARN,
// `!Ref Alias` an alias name, and a !Sub or !Join whose text starts with
// "arn:" an ARN. A stack's resources live in the stack's account and region,
// so an unqualified reference can always be written as
// !Sub "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:alias/NAME";
// with --account and --region, --fix writes the literal ARN instead.
#pragma once

#include <string>

#include "tools/lint/model.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

// Whether a parsed document looks like a CloudFormation template.
bool LooksLikeCloudFormation(const Node& root);

// `root` is modified: intrinsic functions become expressions.
Input ReadCloudFormation(std::string name, uint32_t file, Node* root, bool yaml, const ReadOptions& options);

// Intrinsic function maps ({"Ref": "X"}, {"Fn::Sub": ...}) into expressions,
// in place. `text` is the file's text (for the expressions' source text).
void NormalizeIntrinsics(Node* n, std::string_view text);

}  // namespace ck::tools::lint
