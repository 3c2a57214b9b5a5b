#include "tools/lint/reference.h"

#include "core/arn.h"
#include "core/kms/resolver.h"

namespace ck::tools::lint {

LiteralRef ClassifyLiteral(std::string_view text) {
  LiteralRef out;
  if (text.starts_with("arn:")) {
    auto arn = core::Arn::Parse(text);
    if (!arn.ok() || arn->service != "kms" || arn->account.empty() || arn->region.empty()) return out;
    std::string_view type = arn->ResourceType();
    if (type == "key") {
      out.form = RefForm::kKeyArn;
      out.key_id = std::string(arn->ResourceId());
    } else if (type == "alias") {
      out.form = RefForm::kAliasArn;
      out.alias_name = arn->resource;
      out.managed = out.alias_name.starts_with("alias/aws/");
    } else {
      return out;
    }
    out.account = arn->account;
    out.region = arn->region;
    out.partition = arn->partition;
    return out;
  }
  if (text.starts_with("alias/") && text.size() > 6) {
    out.form = RefForm::kAliasName;
    out.alias_name = std::string(text);
    out.managed = text.starts_with("alias/aws/");
    return out;
  }
  if (core::kms::IsKeyIdFormat(text)) {
    out.form = RefForm::kKeyId;
    out.key_id = std::string(text);
  }
  return out;
}

std::string PartitionOf(std::string_view region) {
  if (region.starts_with("cn-")) return "aws-cn";
  if (region.starts_with("us-gov-")) return "aws-us-gov";
  return "aws";
}

std::string QualifiedArn(const LiteralRef& ref, const std::string& account, const std::string& region) {
  if (account.empty() || region.empty()) return {};
  std::string prefix = "arn:" + PartitionOf(region) + ":kms:" + region + ":" + account + ":";
  if (ref.form == RefForm::kAliasName) return prefix + ref.alias_name;
  if (ref.form == RefForm::kKeyId) return prefix + "key/" + ref.key_id;
  return {};
}

bool IsAccountId(std::string_view s) {
  if (s.size() != 12) return false;
  for (char c : s)
    if (c < '0' || c > '9') return false;
  return true;
}

PolicyPrincipal PrincipalFromText(std::string_view text) {
  PolicyPrincipal p;
  p.text = std::string(text);
  if (text == "*") {
    p.kind = PolicyPrincipal::Kind::kAnyone;
  } else if (IsAccountId(text)) {
    p.kind = PolicyPrincipal::Kind::kAccount;
    p.account = std::string(text);
  } else if (auto arn = core::Arn::Parse(text); arn.ok() && IsAccountId(arn->account)) {
    p.kind = PolicyPrincipal::Kind::kAccount;
    p.account = arn->account;
  }
  return p;
}

}  // namespace ck::tools::lint
