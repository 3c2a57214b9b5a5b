// Resource and key policies as `crosskey lint` needs them: for each Allow
// statement, whom it lets in (principal accounts) and which actions. Deny
// statements and conditions are kept out of the question lint asks ("may
// another account do X?"), so lint errs towards reporting.
//
// Policies arrive as JSON text (plan values, heredocs, AWS CLI output), as
// JSON text with interpolations (HCL templates), or as trees (HCL
// jsonencode({...}) arguments, CloudFormation PolicyDocument maps), and
// values inside may be expressions: a principal written as
// "arn:aws:iam::${data.aws_caller_identity.current.account_id}:root" or
// !Sub "arn:${AWS::Partition}:iam::${AWS::AccountId}:root" is the input's own
// account. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "tools/lint/model.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

// A policy document tree ({"Statement": [...]}).
Policy ReadPolicyTree(const Node& document);

// A policy written as a value: a JSON string, a JSON template, or a tree.
// known=false when it is anything else.
Policy ReadPolicyValue(const Node& value);

// The statement blocks of a Terraform aws_iam_policy_document data source.
Policy ReadPolicyDocumentBlocks(const Node& body);

// A principal written as a literal or an expression.
PolicyPrincipal PrincipalOf(const Node& value);

// Whether `statement` (Allow) covers `action` ("s3:PutObject"; IAM matching:
// case-insensitive, wildcards).
bool Allows(const PolicyStatement& statement, std::string_view action);

// Whether `principal` lets in callers of `account`.
bool Covers(const PolicyPrincipal& principal, const std::string& account);

}  // namespace ck::tools::lint
