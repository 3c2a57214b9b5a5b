// AWS CLI output: `aws s3api get-bucket-encryption` (and the
// --server-side-encryption-configuration document of put-bucket-encryption).
// It names no bucket policy, so an unqualified key there is a warning (CK002)
// unless the policy is linted with it in the same input.
#pragma once

#include <string>

#include "tools/lint/model.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

bool LooksLikeBucketEncryption(const Node& root);

Input ReadBucketEncryption(std::string name, uint32_t file, const Node& root, const ReadOptions& options);

}  // namespace ck::tools::lint
