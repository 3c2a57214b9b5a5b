#include "core/iam/policy_document.h"

#include <nlohmann/json.hpp>

#include <set>

#include "base/codec.h"
#include "base/json_depth.h"
#include "core/arn.h"

namespace ck::core::iam {
namespace {

using nlohmann::json;

// Reason texts. Those marked [REC] were seen in real IAM responses (quoted in
// public issue threads); the others are UNVERIFIED guesses in IAM's style.
constexpr const char* kSyntaxError = "Syntax errors in policy.";                       // [REC]
constexpr const char* kNoPrincipalAllowed = "Policy document should not specify a principal.";  // [REC]
constexpr const char* kMustContainActions = "Policy statement must contain actions.";  // [REC]
constexpr const char* kMustContainResources = "Policy statement must contain resources.";  // [REC]
constexpr const char* kOneColon = "Actions/Condition can contain only one colon.";  // [REC]
constexpr const char* kVendorPrefix = "Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.";
constexpr const char* kVendorWildcard = "Action vendors (e.g., aws, ec2, etc.) must not contain wildcards.";  // [REC]
constexpr const char* kNeedVersion2012 = "Policy document must be version 2012-10-17 or greater.";  // [REC]
constexpr const char* kLegacyParsing = "The policy failed legacy parsing";  // [REC] (seen for Effect "allow")
constexpr const char* kMissingPrincipal = "Missing required field Principal";  // [REC] S3 console wording
constexpr const char* kMissingEffect = "Missing required field Effect";
constexpr const char* kMissingStatement = "Missing required field Statement";
constexpr const char* kInvalidPrincipal = "Invalid principal in policy";  // [REC] (S3)
constexpr const char* kDuplicateSid = "Statement IDs (SID) in a single policy must be unique.";

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool IsUniqueId(std::string_view s) {
  if (s.size() < 16 || (s.substr(0, 4) != "AIDA" && s.substr(0, 4) != "AROA")) return false;
  for (char c : s) {
    if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return false;
  }
  return true;
}

// Returns the normalized form of an "AWS" principal value, or empty if invalid.
std::string NormalizeAwsPrincipal(std::string_view v) {
  if (v == "*") return "*";
  if (IsAccountId(v)) return "arn:aws:iam::" + std::string(v) + ":root";
  if (IsUniqueId(v)) return std::string(v);
  if (HasWildcard(v)) return {};
  auto arn = core::Arn::Parse(v);
  if (!arn.ok() || !IsAccountId(arn->account) || !arn->region.empty()) return {};
  std::string_view type = arn->ResourceType();
  std::string_view id = arn->ResourceId();
  if (arn->service == "iam") {
    if (arn->resource == "root") return std::string(v);
    if ((type == "user" || type == "role") && arn->resource[type.size()] == '/' && !id.empty()) {
      return std::string(v);
    }
    return {};
  }
  if (arn->service == "sts") {
    if (type == "assumed-role") {
      size_t slash = id.find('/');
      if (slash == std::string_view::npos || slash == 0 || slash + 1 == id.size()) return {};
      return std::string(v);
    }
    if (type == "federated-user" && !id.empty()) return std::string(v);
  }
  return {};
}

// Collects a string-or-array-of-strings element. Non-strings are a syntax error.
Status StringList(const json& j, std::vector<std::string>* out) {
  if (j.is_string()) {
    out->push_back(j.get<std::string>());
    return Status::Ok();
  }
  if (!j.is_array()) return MalformedPolicy(kSyntaxError);
  for (const json& e : j) {
    if (!e.is_string()) return MalformedPolicy(kSyntaxError);
    out->push_back(e.get<std::string>());
  }
  return Status::Ok();
}

std::string QuotedPrincipal(std::string_view type, std::string_view value) {
  return std::string(kInvalidPrincipal) + ": \"" + std::string(type) + "\":\"" + std::string(value) + "\"";
}

Status ParsePrincipal(const json& j, PrincipalSet* out) {
  if (j.is_string()) {
    if (j.get<std::string>() != "*") return MalformedPolicy(kInvalidPrincipal);
    out->any = true;
    return Status::Ok();
  }
  if (!j.is_object() || j.empty()) return MalformedPolicy(kInvalidPrincipal);
  for (const auto& [type, value] : j.items()) {
    std::vector<std::string> values;
    if (value.is_string() || value.is_array()) {
      CK_RETURN_IF_ERROR(StringList(value, &values));
    } else {
      return MalformedPolicy(kSyntaxError);
    }
    for (const std::string& v : values) {
      if (type == "AWS") {
        std::string norm = NormalizeAwsPrincipal(v);
        if (norm.empty()) return MalformedPolicy(QuotedPrincipal(type, v));
        if (norm == "*") {
          out->any = true;
        } else {
          out->aws.push_back(std::move(norm));
        }
      } else if (type == "Service") {
        if (v.empty() || HasWildcard(v)) return MalformedPolicy(QuotedPrincipal(type, v));
        out->service.push_back(v);
      } else if (type == "Federated") {
        if (v.empty() || HasWildcard(v)) return MalformedPolicy(QuotedPrincipal(type, v));
        out->federated.push_back(v);
      } else if (type == "CanonicalUser") {
        if (v.empty() || HasWildcard(v)) return MalformedPolicy(QuotedPrincipal(type, v));
        out->canonical_user.push_back(v);
      } else {
        return MalformedPolicy(QuotedPrincipal(type, v));
      }
    }
  }
  return Status::Ok();
}

Status ParseActions(const json& j, std::vector<ActionPattern>* out) {
  std::vector<std::string> raw;
  CK_RETURN_IF_ERROR(StringList(j, &raw));
  if (raw.empty()) return MalformedPolicy(kMustContainActions);
  for (const std::string& a : raw) {
    ActionPattern p;
    if (a == "*") {
      p.kind = ActionPattern::kAny;
      out->push_back(std::move(p));
      continue;
    }
    size_t colon = a.find(':');
    if (colon == std::string::npos || colon == 0) return MalformedPolicy(kVendorPrefix);
    if (a.find(':', colon + 1) != std::string::npos) return MalformedPolicy(kOneColon);
    if (HasWildcard(std::string_view(a).substr(0, colon))) return MalformedPolicy(kVendorWildcard);
    p.text = ToLower(a);
    size_t wild = p.text.find_first_of("*?");
    if (wild == std::string::npos) {
      p.kind = ActionPattern::kExact;
    } else if (wild == p.text.size() - 1 && p.text.back() == '*') {
      p.kind = ActionPattern::kPrefix;
      p.text.pop_back();
    } else {
      p.kind = ActionPattern::kGlob;
    }
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

Status ParseResources(const json& j, bool variables, std::vector<ResourcePattern>* out) {
  std::vector<std::string> raw;
  CK_RETURN_IF_ERROR(StringList(j, &raw));
  if (raw.empty()) return MalformedPolicy(kMustContainResources);
  for (const std::string& r : raw) {
    if (r != "*" && r.rfind("arn:", 0) != 0) {
      return MalformedPolicy("Resource " + r + " must be in ARN format or \"*\".");  // [REC]
    }
    ResourcePattern p;
    p.source = PolicyString::Parse(r, variables);
    if (r == "*") {
      p.kind = ResourcePattern::kAny;
    } else if (p.source.needs_resolve()) {
      p.kind = ResourcePattern::kVariable;
    } else {
      p.text = r;
      size_t wild = r.find_first_of("*?");
      if (wild == std::string::npos) {
        p.kind = ResourcePattern::kExact;
      } else if (wild == r.size() - 1 && r.back() == '*') {
        p.kind = ResourcePattern::kPrefix;
        p.text.pop_back();
      } else {
        p.kind = ResourcePattern::kGlob;
      }
    }
    out->push_back(std::move(p));
  }
  return Status::Ok();
}

Status ScalarToString(const json& v, std::string* out) {
  if (v.is_string()) {
    *out = v.get<std::string>();
  } else if (v.is_boolean()) {
    *out = v.get<bool>() ? "true" : "false";
  } else if (v.is_number_integer() || v.is_number_unsigned()) {
    *out = v.dump();
  } else if (v.is_number_float()) {
    *out = v.dump();
  } else {
    return MalformedPolicy(kSyntaxError);
  }
  return Status::Ok();
}

Status ParseConditions(const json& j, bool variables, std::vector<Condition>* out) {
  if (!j.is_object()) return MalformedPolicy(kSyntaxError);
  for (const auto& [op_name, block] : j.items()) {
    auto spec = ParseConditionOperator(op_name);
    // UNVERIFIED wording for an unknown operator.
    if (!spec.ok()) return MalformedPolicy("Invalid Condition type : " + op_name);
    if (!block.is_object()) return MalformedPolicy(kSyntaxError);
    for (const auto& [key, values] : block.items()) {
      Condition c;
      c.op_name = op_name;
      c.spec = *spec;
      c.key = key;
      std::vector<std::string> raw;
      if (values.is_array()) {
        if (values.empty()) return MalformedPolicy(kSyntaxError);
        for (const json& v : values) {
          std::string s;
          CK_RETURN_IF_ERROR(ScalarToString(v, &s));
          raw.push_back(std::move(s));
        }
      } else {
        std::string s;
        CK_RETURN_IF_ERROR(ScalarToString(values, &s));
        raw.push_back(std::move(s));
      }
      for (const std::string& s : raw) c.values.push_back(MakeConditionValue(c.spec.op, s, variables));
      out->push_back(std::move(c));
    }
  }
  return Status::Ok();
}

bool RequiresPrincipal(PolicyKind k) {
  return k == PolicyKind::kResource || k == PolicyKind::kTrust || k == PolicyKind::kKeyPolicy;
}

Status ParseStatement(const json& j, const Policy& policy, Statement* st) {
  if (!j.is_object()) return MalformedPolicy(kSyntaxError);
  const bool variables = policy.variables_enabled();
  const json* effect = nullptr;
  const json* principal = nullptr;
  const json* not_principal = nullptr;
  const json* action = nullptr;
  const json* not_action = nullptr;
  const json* resource = nullptr;
  const json* not_resource = nullptr;
  const json* condition = nullptr;
  for (const auto& [name, value] : j.items()) {
    if (name == "Sid") {
      if (!value.is_string()) return MalformedPolicy(kSyntaxError);
      st->sid = value.get<std::string>();
    } else if (name == "Effect") {
      effect = &value;
    } else if (name == "Principal") {
      principal = &value;
    } else if (name == "NotPrincipal") {
      not_principal = &value;
    } else if (name == "Action") {
      action = &value;
    } else if (name == "NotAction") {
      not_action = &value;
    } else if (name == "Resource") {
      resource = &value;
    } else if (name == "NotResource") {
      not_resource = &value;
    } else if (name == "Condition") {
      condition = &value;
    } else {
      return MalformedPolicy("Unknown field " + name);  // UNVERIFIED wording
    }
  }
  if (effect == nullptr) return MalformedPolicy(kMissingEffect);
  if (!effect->is_string()) return MalformedPolicy(kSyntaxError);
  if (*effect == "Allow") {
    st->effect = Effect::kAllow;
  } else if (*effect == "Deny") {
    st->effect = Effect::kDeny;
  } else {
    return MalformedPolicy(kLegacyParsing);
  }

  if (principal != nullptr || not_principal != nullptr) {
    if (!RequiresPrincipal(policy.kind)) return MalformedPolicy(kNoPrincipalAllowed);
    if (principal != nullptr && not_principal != nullptr) return MalformedPolicy(kSyntaxError);
    st->has_principal = true;
    st->not_principal = not_principal != nullptr;
    CK_RETURN_IF_ERROR(ParsePrincipal(principal ? *principal : *not_principal, &st->principals));
  } else if (RequiresPrincipal(policy.kind)) {
    return MalformedPolicy(kMissingPrincipal);
  }

  if (action != nullptr && not_action != nullptr) return MalformedPolicy(kSyntaxError);
  if (action == nullptr && not_action == nullptr) return MalformedPolicy(kMustContainActions);
  st->not_action = not_action != nullptr;
  CK_RETURN_IF_ERROR(ParseActions(action ? *action : *not_action, &st->actions));

  if (resource != nullptr && not_resource != nullptr) return MalformedPolicy(kSyntaxError);
  if (resource != nullptr || not_resource != nullptr) {
    // UNVERIFIED wording: IAM rejects Resource in a role trust policy.
    if (policy.kind == PolicyKind::kTrust) {
      return MalformedPolicy(std::string("Has prohibited field ") + (resource ? "Resource" : "NotResource"));
    }
    st->has_resource = true;
    st->not_resource = not_resource != nullptr;
    CK_RETURN_IF_ERROR(ParseResources(resource ? *resource : *not_resource, variables, &st->resources));
  } else if (policy.kind != PolicyKind::kTrust) {
    return MalformedPolicy(kMustContainResources);
  }

  if (condition != nullptr) CK_RETURN_IF_ERROR(ParseConditions(*condition, variables, &st->conditions));
  return Status::Ok();
}

}  // namespace

Status MalformedPolicy(std::string reason) {
  return InvalidArgument(std::move(reason)).WithAws("MalformedPolicyDocument", 400);
}

Result<Policy> ParsePolicy(std::string_view text, PolicyKind kind, const ParseOptions& options) {
  // A policy is a few levels deep; a deeper document is refused before it is
  // parsed (a few MB of brackets would take hundreds of MB as a tree).
  constexpr size_t kMaxPolicyDepth = 32;
  if (JsonNestingDepth(text, kMaxPolicyDepth) > kMaxPolicyDepth) return MalformedPolicy(kSyntaxError);
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) return MalformedPolicy(kSyntaxError);
  Policy policy;
  policy.kind = kind;
  const json* statements = nullptr;
  for (const auto& [name, value] : doc.items()) {
    if (name == "Version") {
      if (!value.is_string()) return MalformedPolicy(kSyntaxError);
      if (value == "2012-10-17") {
        policy.version = PolicyVersion::k2012_10_17;
      } else if (value == "2008-10-17") {
        policy.version = PolicyVersion::k2008_10_17;
      } else {
        return MalformedPolicy(kLegacyParsing);  // UNVERIFIED for this input
      }
      policy.version_present = true;
    } else if (name == "Id") {
      if (!value.is_string()) return MalformedPolicy(kSyntaxError);
      policy.id = value.get<std::string>();
    } else if (name == "Statement") {
      statements = &value;
    } else {
      return MalformedPolicy("Unknown field " + name);  // UNVERIFIED wording
    }
  }
  if (options.require_2012_version && policy.version != PolicyVersion::k2012_10_17) {
    return MalformedPolicy(kNeedVersion2012);
  }
  if (statements == nullptr) return MalformedPolicy(kMissingStatement);
  std::vector<const json*> list;
  if (statements->is_object()) {
    list.push_back(statements);
  } else if (statements->is_array()) {
    for (const json& s : *statements) list.push_back(&s);
  } else {
    return MalformedPolicy(kSyntaxError);
  }
  std::set<std::string> sids;
  for (const json* s : list) {
    Statement st;
    CK_RETURN_IF_ERROR(ParseStatement(*s, policy, &st));
    if (!st.sid.empty() && !sids.insert(st.sid).second) return MalformedPolicy(kDuplicateSid);
    policy.statements.push_back(std::move(st));
  }
  return policy;
}

}  // namespace ck::core::iam
