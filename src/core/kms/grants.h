// Grants (AWS-SEMANTICS §1.8): which principals a grant names, whether a
// grant allows an operation with a given encryption context, who may retire
// it, and the grant token that names it. When the key policy and IAM leave a
// request implicitly denied, a matching grant allows it (an explicit deny
// still wins).
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/kms/ciphertext.h"
#include "core/kms/key_model.h"
#include "core/principal.h"

namespace ck::core::kms {

// Whether `who` (a grantee or retiring principal as written in the grant)
// names `p`: its ARN, its role, its account root, or its service principal.
bool PrincipalMatches(const Principal& p, std::string_view who);

// Whether one of `key`'s grants lets `p` perform `operation` ("Decrypt") with
// `context` (null: the request has none, which fails any context constraint).
bool GrantAllows(const KeyRecord& key, const Principal& p, std::string_view operation,
                 const EncryptionContext* context);

// Whether `p` may retire `g`: its retiring principal, or a grantee whose
// grant includes RetireGrant.
bool MayRetire(const Grant& g, const Principal& p);

const Grant* FindGrant(const KeyRecord& key, std::string_view grant_id);
// CreateGrant retried with the same Name and parameters returns the same grant.
const Grant* SameGrant(const KeyRecord& key, const Grant& requested);

// The grant token: opaque to clients, naming the key and grant.
std::string GrantToken(const std::string& key_arn, const std::string& grant_id, std::string_view nonce);
struct GrantRef {
  std::string key_arn, grant_id;
};
std::optional<GrantRef> ParseGrantToken(std::string_view token);

}  // namespace ck::core::kms
