// Key resolution (AWS-SEMANTICS §1.3): the ONE function that turns a key
// reference into a key for a caller.
//   - key id ("1234abcd-…", "mrk-…") and "alias/NAME": the caller's account
//     and the region of the endpoint called;
//   - key ARN and alias ARN: the account and region they name (only ARNs can
//     reach another account; an ARN in another region → "Invalid arn REGION").
// Errors carry AWS's texts: NotFoundException "Invalid keyId 'x'",
// "Key 'ARN' does not exist", "Alias ARN is not found.", "Invalid arn REGION";
// InvalidArnException "Key Aliases are not supported for this operation" for
// operations that take only key ids. A reference into a foreign account that
// does not exist (or an operation that never works across accounts) is an
// AccessDeniedException with the redacted message, so the caller cannot learn
// whether another account's key exists (§1.4 variant 3).
// Predefined AWS aliases (alias/aws/s3, …) that have no key yet get their AWS
// managed key created on first reference in the caller's own account (§1.5).
//
// Thread safety: Resolve is reentrant; the KeyDirectory must be thread-safe.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "core/kms/key_model.h"
#include "core/kms/policies.h"

namespace ck::core::kms {

class KeyDirectory {
 public:
  virtual ~KeyDirectory() = default;
  virtual std::shared_ptr<const KeyRecord> FindKey(const std::string& account, const std::string& region,
                                                   const std::string& key_id) = 0;
  // The alias's target key id.
  virtual std::optional<std::string> FindAlias(const std::string& account, const std::string& region,
                                               const std::string& alias_name) = 0;
  // Creates (or returns, if a concurrent call won) the AWS managed key behind
  // a predefined alias.
  virtual Result<std::shared_ptr<const KeyRecord>> EnsureManagedKey(const std::string& account,
                                                                    const std::string& region,
                                                                    const ManagedAlias& alias) = 0;
};

enum class RefForms {
  kAny,      // key id, key ARN, alias name, alias ARN (crypto ops, DescribeKey, GetPublicKey)
  kKeyOnly,  // key id or key ARN (management ops, grants)
};

struct ResolveOptions {
  RefForms forms = RefForms::kAny;
  bool cross_account = true;    // whether the operation works on other accounts' keys
  std::string_view action;      // "kms:Encrypt", for the redacted denial
  std::string_view caller_arn;  // for the redacted denial
};

struct Resolution {
  std::shared_ptr<const KeyRecord> key;
  std::string alias_name;  // "alias/NAME" when the reference was an alias (kms:RequestAlias)
  bool cross_account = false;
};

// Whether `s` is a key id: a UUID or "mrk-" + 32 hex digits.
bool IsKeyIdFormat(std::string_view s);

Result<Resolution> Resolve(KeyDirectory& directory, const std::string& caller_account,
                           const std::string& caller_region, std::string_view reference, const ResolveOptions& options);

// The redacted cross-account AccessDeniedException for (caller, action).
Status RedactedDenial(std::string_view caller_arn, std::string_view action);

// AWS's messages, shared with the service.
std::string KeyDoesNotExist(const std::string& arn);  // "Key 'ARN' does not exist"
std::string InvalidKeyIdMessage(std::string_view reference);

}  // namespace ck::core::kms
