// The IAM policy language: a parsed, validated, pre-compiled policy document.
//
// ParsePolicy turns JSON into a Policy ready for fast evaluation: actions are
// lower-cased and classified (any / exact / prefix* / glob), resources and
// condition values are split into literal text and variables, principals are
// normalized (a bare 12-digit account becomes arn:aws:iam::ACCT:root). Errors
// are Status(kInvalidArgument) carrying aws_code "MalformedPolicyDocument"
// (HTTP 400) and IAM's reason text; services that use another code (S3
// "MalformedPolicy", KMS "MalformedPolicyDocumentException") re-wrap it.
//
// A Policy is immutable after parsing and safe to share between threads.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "core/iam/condition.h"
#include "core/iam/policy_string.h"

namespace ck::core::iam {

enum class PolicyKind {
  kIdentity,   // attached to a user/role/group; no Principal
  kResource,   // bucket policy, secret policy...; Principal required
  kTrust,      // role trust policy; Principal required, no Resource
  kSession,    // session policy passed to AssumeRole; no Principal
  kKeyPolicy,  // KMS key policy; Principal required
};

enum class PolicyVersion { k2008_10_17, k2012_10_17 };
enum class Effect : uint8_t { kAllow, kDeny };

// An Action / NotAction entry, lower-cased at parse time.
struct ActionPattern {
  enum Kind : uint8_t { kAny, kExact, kPrefix, kGlob };
  Kind kind = kAny;
  std::string text;  // kPrefix: without the trailing '*'
};

// A Resource / NotResource entry.
struct ResourcePattern {
  enum Kind : uint8_t { kAny, kExact, kPrefix, kGlob, kVariable };
  Kind kind = kAny;
  std::string text;    // kPrefix: without the trailing '*'
  PolicyString source;  // used when kind == kVariable
};

// Principal / NotPrincipal. Entries are kept as written except that AWS
// account ids become root ARNs.
struct PrincipalSet {
  bool any = false;  // "*" or {"AWS": "*"}
  std::vector<std::string> aws;
  std::vector<std::string> service;
  std::vector<std::string> federated;
  std::vector<std::string> canonical_user;
};

struct Statement {
  std::string sid;
  Effect effect = Effect::kAllow;
  bool has_principal = false;  // Principal or NotPrincipal present
  bool not_principal = false;
  PrincipalSet principals;
  bool not_action = false;
  std::vector<ActionPattern> actions;
  bool has_resource = false;  // Resource or NotResource present (trust policies have neither)
  bool not_resource = false;
  std::vector<ResourcePattern> resources;
  std::vector<Condition> conditions;
};

struct Policy {
  PolicyKind kind = PolicyKind::kIdentity;
  PolicyVersion version = PolicyVersion::k2008_10_17;
  bool version_present = false;
  std::string id;
  std::vector<Statement> statements;
  bool variables_enabled() const { return version == PolicyVersion::k2012_10_17; }
};

struct ParseOptions {
  // IAM CreatePolicy / CreatePolicyVersion reject documents without Version
  // 2012-10-17 ("Policy document must be version 2012-10-17 or greater.");
  // inline policies, key policies and bucket policies accept 2008-10-17.
  bool require_2012_version = false;
};

Result<Policy> ParsePolicy(std::string_view json, PolicyKind kind, const ParseOptions& options = {});

// The MalformedPolicyDocument status with the given reason text.
Status MalformedPolicy(std::string reason);

}  // namespace ck::core::iam
