#include "core/audit/analysis.h"

#include "core/arn.h"
#include "core/iam/evaluator.h"
#include "core/kms/resolver.h"

namespace ck::core::audit {

RefKind ClassifyRef(std::string_view ref) {
  if (ref.empty()) return RefKind::kNone;
  if (ref.substr(0, 4) == "arn:") {
    auto arn = Arn::Parse(ref);
    if (!arn.ok() || arn->service != "kms") return RefKind::kInvalid;
    if (arn->ResourceType() == "key") return RefKind::kKeyArn;
    if (arn->ResourceType() == "alias") return RefKind::kAliasArn;
    return RefKind::kInvalid;
  }
  if (ref.substr(0, 6) == "alias/") return RefKind::kAliasName;
  if (kms::IsKeyIdFormat(ref)) return RefKind::kKeyId;
  return RefKind::kInvalid;
}

bool Qualified(RefKind kind) { return kind == RefKind::kKeyArn || kind == RefKind::kAliasArn; }

std::string_view RefKindName(RefKind kind) {
  switch (kind) {
    case RefKind::kNone: return "none (AWS managed aws/s3)";
    case RefKind::kKeyArn: return "key ARN";
    case RefKind::kAliasArn: return "alias ARN";
    case RefKind::kKeyId: return "key id (unqualified)";
    case RefKind::kAliasName: return "alias name (unqualified)";
    case RefKind::kInvalid: return "invalid reference";
  }
  return "";
}

namespace {
template <class V, class S>
void ObjectFactsFields(V& v, S& s) {
  v("key", s.key, true);
  v("version_id", s.version_id, true);
  v("latest", s.latest, false);
  v("size", s.size, false);
  v("owner_id", s.owner_id, false);
  v("sse", s.sse, false);
  v("kms_key_arn", s.kms_key_arn, false);
  v("sse_c", s.sse_c, false);
}
}  // namespace

CK_DEFINE_FIELDS(ObjectFacts, ObjectFactsFields)

std::string AccountOf(std::string_view arn) {
  auto a = Arn::Parse(arn);
  return a.ok() ? a->account : "";
}

namespace {

// "arn:aws:iam::222222222222:root", "222222222222", "arn:aws:sts::…" → the account.
std::string PrincipalAccount(const std::string& p) {
  if (p.size() == 12 && p.find_first_not_of("0123456789") == std::string::npos) return p;
  return AccountOf(p);
}

}  // namespace

std::vector<Writer> ForeignWriters(const iam::Policy& policy, const std::string& owner_account) {
  std::vector<Writer> out;
  auto add = [&](Writer w) {
    for (const Writer& o : out)
      if (o.principal == w.principal) return;
    out.push_back(std::move(w));
  };
  for (const auto& st : policy.statements) {
    if (st.effect != iam::Effect::kAllow || st.not_principal) continue;
    if (!iam::ActionMatches(st, "s3:putobject")) continue;
    if (st.principals.any) add({"*", ""});
    for (const std::string& p : st.principals.aws) {
      if (p == "*") {
        add({"*", ""});
        continue;
      }
      std::string account = PrincipalAccount(p);
      if (!account.empty() && account != owner_account) add({p, account});
    }
  }
  return out;
}

WriterMode ModeForWriter(const BucketDefault& d, Resolves in_writer_account) {
  if (!d.kms()) return WriterMode::kNotKms;
  RefKind kind = ClassifyRef(d.key_ref);
  if (Qualified(kind)) return WriterMode::kSafe;
  if (kind == RefKind::kNone) return WriterMode::kWriterManagedKey;
  switch (in_writer_account) {
    case Resolves::kToKey: return WriterMode::kWriterKeySilently;
    case Resolves::kMissing: return WriterMode::kPutFails;
    case Resolves::kUnknown: return WriterMode::kUnknown;
  }
  return WriterMode::kUnknown;
}

std::string_view WriterModeName(WriterMode mode) {
  switch (mode) {
    case WriterMode::kSafe: return "safe";
    case WriterMode::kPutFails: return "put-fails";
    case WriterMode::kWriterKeySilently: return "writer-key";
    case WriterMode::kWriterManagedKey: return "writer-aws-s3";
    case WriterMode::kUnknown: return "unknown";
    case WriterMode::kNotKms: return "sse-s3";
  }
  return "";
}

std::string ExplainWriterMode(WriterMode mode, const std::string& ref, const std::string& account) {
  std::string who = account.empty() ? "any account" : "account " + account;
  switch (mode) {
    case WriterMode::kSafe: return "the key is named by ARN: every writer encrypts under the owner's key";
    case WriterMode::kPutFails:
      return "'" + ref + "' resolves in the writer's account; " + who +
             " has no such key, so its PutObject fails with KMS.NotFoundException";
    case WriterMode::kWriterKeySilently:
      return "'" + ref + "' resolves in the writer's account; " + who +
             " has one, so its objects are silently encrypted under its own key, which the owner cannot use";
    case WriterMode::kWriterManagedKey:
      return "aws:kms without a key uses the writer's own aws/s3 key: objects " + who +
             " writes are unreadable by the owner (AWS managed keys cannot be shared)";
    case WriterMode::kUnknown:
      return "'" + ref + "' resolves in the writer's account; whether " + who +
             " has it could not be checked (pass --assume with a role there)";
    case WriterMode::kNotKms: return "SSE-S3: S3's own keys, readable by the owner";
  }
  return "";
}

std::string_view FindingName(FindingKind kind) {
  switch (kind) {
    case FindingKind::kForeignCustomerKey: return "foreign-customer-key";
    case FindingKind::kForeignManagedKey: return "foreign-aws-s3-key";
    case FindingKind::kForeignKey: return "foreign-key";
    case FindingKind::kSseS3WhereKmsRequired: return "sse-s3-where-kms-required";
    case FindingKind::kSseC: return "sse-c";
  }
  return "";
}

std::optional<Finding> Classify(const ObjectFacts& o, const BucketDefault& d, const std::string& owner_account,
                                const std::string& intended_key_arn, const KeyFacts* key) {
  if (o.sse_c) return Finding{FindingKind::kSseC, "", "", std::nullopt, false};
  bool kms = o.sse == "aws:kms" || o.sse == "aws:kms:dsse";
  if (!kms) {
    if (d.kms()) return Finding{FindingKind::kSseS3WhereKmsRequired, "", "", true, true};
    return std::nullopt;
  }
  std::string account = AccountOf(o.kms_key_arn);
  if (account.empty() || account == owner_account) return std::nullopt;
  // A key in another account. Whose it is (customer or AWS managed) decides
  // whether the owner could ever be granted access.
  Finding f{FindingKind::kForeignKey, o.kms_key_arn, account, std::nullopt, true};
  if (key && key->aws_managed) {
    f.kind = *key->aws_managed ? FindingKind::kForeignManagedKey : FindingKind::kForeignCustomerKey;
    // An AWS managed key's policy admits only its own account (kms:CallerAccount).
    f.owner_can_decrypt = *key->aws_managed ? std::optional<bool>(false) : key->owner_can_decrypt;
  } else if (key) {
    f.owner_can_decrypt = key->owner_can_decrypt;
  }
  (void)intended_key_arn;
  return f;
}

std::optional<bool> PolicyLetsAccountDecrypt(const iam::Policy& policy, const std::string& account) {
  const std::string root = "arn:aws:iam::" + account + ":root";
  bool conditional = false;
  for (const auto& st : policy.statements) {
    if (!iam::ActionMatches(st, "kms:decrypt") || st.not_principal) continue;
    bool names_account = st.principals.any;
    for (const std::string& p : st.principals.aws) names_account = names_account || p == "*" || p == root || p == account;
    if (!names_account) continue;
    if (st.effect == iam::Effect::kDeny && st.conditions.empty()) return false;
    if (st.effect != iam::Effect::kAllow) continue;
    if (st.conditions.empty()) return true;
    conditional = true;
  }
  if (conditional) return std::nullopt;
  return false;
}

}  // namespace ck::core::audit
