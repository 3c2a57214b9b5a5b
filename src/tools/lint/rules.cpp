#include "tools/lint/rules.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "tools/lint/policy.h"
#include "tools/lint/reference.h"

namespace ck::tools::lint {

namespace {

const std::vector<Rule> kRules = {
    {"CK001", "s3-unqualified-key-cross-account-writer", Severity::kError,
     "S3 default encryption names its KMS key without an account, and another account may write to the bucket",
     "S3 asks KMS for each object's data key as the writer (a forward access session), so a key id or "
     "alias/NAME in the bucket's default encryption resolves in the writer's account and region, not the "
     "bucket owner's. The other account's PutObject then fails with KMS.NotFoundException (\"Alias "
     "arn:aws:kms:REGION:WRITER:alias/NAME is not found.\"), or, if the writer has a key of that name, succeeds "
     "under the writer's key, leaving an object the bucket owner's principals cannot decrypt. "
     "(AWS-SEMANTICS §1.3, §2.1 KMSMasterKeyID, §2.5, §2.7; docs/s3.md \"Server-side encryption\")",
     "Name the key by its key ARN or alias ARN in the bucket owner's account "
     "(arn:aws:kms:REGION:OWNER:alias/NAME), and let the writer's account use the key (see CK005)."},
    {"CK002", "s3-unqualified-key", Severity::kWarning, "S3 encryption names its KMS key without an account",
     "S3 resolves a key id or alias/NAME in the account of whoever writes the object (AWS-SEMANTICS §2.5). "
     "That is the bucket owner only as long as no other account writes: a bucket policy added later silently "
     "turns this into CK001. For an object (aws_s3_object kms_key_id) the key resolves in the uploading "
     "account. (AWS-SEMANTICS §1.3, §2.1, §2.2 SSEKMSKeyId, §2.5; docs/s3.md)",
     "Name the key by its key ARN or alias ARN."},
    {"CK003", "secret-unqualified-key-shared", Severity::kError,
     "A Secrets Manager secret shared with another account names its KMS key without an account",
     "Secrets Manager keeps KmsKeyId as written and fails fast across accounts: the other account's "
     "GetSecretValue gets AccessDeniedException \"Access to KMS is not allowed\", and its PutSecretValue or "
     "UpdateSecret \"You must specify a KMS key ARN to update the secret from a different AWS account.\" "
     "(AWS-SEMANTICS §4; docs/secretsmanager.md \"Cross-account behaviour\")",
     "Name the key by its key ARN or alias ARN, and let the other account use it in the key policy (see CK005)."},
    {"CK004", "aws-managed-key-shared", Severity::kError,
     "A resource shared with another account is encrypted under an AWS managed key (aws/...)",
     "AWS managed keys (aws/s3, aws/secretsmanager, aws/sqs, ...) have policies that admit only principals of "
     "the owning account calling through the owning service (kms:CallerAccount and kms:ViaService), and those "
     "policies cannot be changed, so they cannot be shared. S3 encrypts another account's writes under the "
     "writer's own aws/s3 key, which the bucket owner can never decrypt; Secrets Manager refuses the other "
     "account (\"You can't access a secret from a different AWS account if you encrypt the secret with the "
     "default KMS service key.\"). (AWS-SEMANTICS §1.5, §2.6, §4; docs/kms.md, docs/secretsmanager.md)",
     "Create a customer managed key, allow the other account in its key policy, and name it by ARN."},
    {"CK005", "key-policy-missing-cross-account-access", Severity::kError,
     "The key policy does not let the other account use the key",
     "Using a KMS key across accounts needs both the key policy (in the key owner's account) and the caller's "
     "IAM policy to allow the action; neither alone is enough. S3 writes need kms:GenerateDataKey (and "
     "kms:Decrypt for multipart uploads and copies); Secrets Manager reads need kms:Decrypt and writes "
     "kms:GenerateDataKey. Without it the other account gets AccessDenied \"... is not authorized to perform: "
     "kms:GenerateDataKey on this resource because ...\". A key created without a policy gets KMS's default "
     "policy, which admits only its own account. (AWS-SEMANTICS §1.6, §1.7, §2.5, §2.7, §4; docs/kms.md "
     "\"Authorization\")",
     "Add a key policy statement allowing the other account (arn:aws:iam::ACCOUNT:root, or its writer roles) "
     "kms:GenerateDataKey and kms:Decrypt, or a grant, and allow the same in that account's IAM policy."},
    {"CK006", "dynamodb-unqualified-key", Severity::kNote, "DynamoDB names its KMS key without an account",
     "DynamoDB resolves a table's key reference once, when the table is created or updated, as the principal "
     "doing it, and stores the key ARN (SSEDescription.KMSMasterKeyArn); later reads and writes from any "
     "account use that ARN. Safe, but the key is whichever one the configuring account has under that name. "
     "(AWS-SEMANTICS §3; docs/dynamodb.md \"Encryption at rest and key resolution\")",
     "Name the key by ARN so the definition says which key it is."},
    {"CK007", "key-reference-not-evaluated", Severity::kNote,
     "A KMS key reference is an expression lint cannot evaluate",
     "If the expression evaluates to a key id or alias name, the rule named in the message applies. "
     "References lint can see through (aws_kms_key.k.arn, !GetAtt Key.Arn, a template starting with "
     "\"arn:\") are not reported. (AWS-SEMANTICS §1.3)",
     "Write the value as an ARN, or lint where values are known (a Terraform plan: terraform show -json)."},
};

std::string Quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  out.push_back('"');
  out.append(s);
  out.push_back('"');
  return out;
}

// An expression as written, on one line and at most 80 bytes.
std::string OneLine(std::string_view text) {
  std::string out;
  for (char c : text) {
    bool space = c == ' ' || c == '\n' || c == '\t' || c == '\r';
    if (space && (out.empty() || out.back() == ' ')) continue;
    out += space ? ' ' : c;
  }
  if (out.size() > 80) {
    size_t cut = 77;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "...";
  }
  return out;
}

std::string HowNamed(const KeyRef& ref) {
  std::string written = Quote(OneLine(ref.written));
  if (ClassifyLiteral(ref.written).form != ref.form) {  // an expression
    if (ref.form == RefForm::kAliasName) return "as " + written + ", an alias name, not by ARN";
    if (ref.form == RefForm::kKeyId) return "as " + written + ", a key id, not by ARN";
  }
  switch (ref.form) {
    case RefForm::kAliasName:
      return "by alias name " + written + ", not by ARN";
    case RefForm::kKeyId:
      return "by key id " + written + ", not by ARN";
    case RefForm::kInvalid:
      return "as " + written +
             ", which is neither a key id, an alias name nor an ARN (KMS answers "
             "\"Invalid keyId\")";
    default:
      return written;
  }
}

struct Sharer {
  PolicyPrincipal principal;
  Span statement;
  std::string action;
};

std::string Who(const PolicyPrincipal& p) {
  return p.kind == PolicyPrincipal::Kind::kAnyone ? std::string("anyone (\"*\")") : "account " + p.account;
}

// Principals of other accounts (or anyone) that the target's resource policies let do one of `actions`.
std::vector<Sharer> SharedWith(const Input& in, Surface surface, int target, std::vector<std::string_view> actions) {
  std::vector<Sharer> out;
  if (target < 0) return out;
  std::set<std::string> seen;
  for (const PolicyAttachment& a : in.policies) {
    if (a.surface != surface || !a.policy.known) continue;
    if (!a.targets.empty() && std::find(a.targets.begin(), a.targets.end(), target) == a.targets.end()) continue;
    for (const PolicyStatement& s : a.policy.statements) {
      if (!s.allow) continue;
      for (std::string_view action : actions) {
        if (!Allows(s, action)) continue;
        std::vector<PolicyPrincipal> principals = s.principals;
        if (s.not_principal) {
          PolicyPrincipal anyone;
          anyone.kind = PolicyPrincipal::Kind::kAnyone;
          anyone.text = "NotPrincipal";
          anyone.span = s.span;
          principals = {anyone};
        }
        for (const PolicyPrincipal& p : principals) {
          bool other = p.kind == PolicyPrincipal::Kind::kAnyone ||
                       (p.kind == PolicyPrincipal::Kind::kAccount && p.account != in.owner_account);
          if (!other) continue;
          std::string key = p.kind == PolicyPrincipal::Kind::kAnyone ? "*" : p.account;
          if (!seen.insert(key).second) continue;
          out.push_back({p, s.span, std::string(action)});
        }
        break;
      }
    }
  }
  return out;
}

std::string SharersText(const std::vector<Sharer>& sharers) {
  std::string out;
  for (size_t i = 0; i < sharers.size(); ++i) {
    if (i) out += i + 1 == sharers.size() ? " and " : ", ";
    out += Who(sharers[i].principal);
  }
  return out;
}

std::string TargetName(const Input& in, int target) {
  if (target < 0 || target >= static_cast<int>(in.targets.size()) || in.targets[target].display.empty()) return "";
  return Quote(in.targets[target].display);
}

std::string SurfaceNoun(Surface s) {
  switch (s) {
    case Surface::kS3Bucket:
    case Surface::kS3Object:
      return "bucket";
    case Surface::kSecret:
      return "secret";
    case Surface::kDynamoDb:
      return "table";
    case Surface::kSqs:
      return "queue";
    case Surface::kSns:
      return "topic";
  }
  return "resource";
}

class Checker {
 public:
  explicit Checker(const Input& in) : in_(in) {}

  std::vector<Finding> Run() {
    for (const KeyUse& u : in_.uses) Use(u);
    return std::move(out_);
  }

 private:
  Finding Make(std::string_view id, const KeyUse& u, std::string message) {
    Finding f;
    f.rule = FindRule(id);
    f.span = u.ref.span;
    f.message = std::move(message);
    f.resource = u.resource;
    f.resource_type = u.resource_type;
    f.attribute = u.attribute;
    f.value = u.ref.written;
    f.arn = u.ref.arn;
    f.replacement = u.ref.replacement;
    f.suggestion = u.ref.suggestion;
    return f;
  }

  void AddSharers(Finding* f, const std::vector<Sharer>& sharers, std::string_view verb) {
    for (const Sharer& s : sharers)
      f->related.push_back({s.statement, Who(s.principal) + " is allowed " + s.action + " here" +
                                             (verb.empty() ? "" : std::string(" (") + std::string(verb) + ")")});
  }

  std::string ResolvesIn(const KeyUse& u, const PolicyPrincipal& p) const {
    if (p.kind != PolicyPrincipal::Kind::kAccount || u.ref.form != RefForm::kAliasName) return "the writer's account";
    std::string region = in_.region.empty() ? "REGION" : in_.region;
    return "account " + p.account + " (arn:" + PartitionOf(region) + ":kms:" + region + ":" + p.account + ":" +
           u.ref.written + ")";
  }

  void Use(const KeyUse& u) {
    switch (u.surface) {
      case Surface::kS3Bucket:
        Bucket(u);
        break;
      case Surface::kS3Object:
        if (IsUnqualified(u.ref.form) && !u.ref.managed) {
          out_.push_back(Make("CK002", u,
                              "S3 object encryption names its KMS key " + HowNamed(u.ref) +
                                  "; S3 resolves it in the account that uploads the object, which may not be "
                                  "the bucket owner's"));
        } else if (u.ref.form == RefForm::kUnknown) {
          out_.push_back(NotEvaluated(u, "CK002"));
        }
        break;
      case Surface::kSecret:
        Secret(u);
        break;
      case Surface::kDynamoDb:
        if (IsUnqualified(u.ref.form) && !u.ref.managed)
          out_.push_back(Make("CK006", u,
                              "DynamoDB encryption names its KMS key " + HowNamed(u.ref) +
                                  "; DynamoDB resolves it once, when the table is created or updated, in the "
                                  "account doing it, and stores the key ARN"));
        break;
      case Surface::kSqs:
      case Surface::kSns:
        QueueOrTopic(u);
        break;
    }
  }

  // A resource policy attached to the target that lint could not read.
  std::string UnreadPolicy(Surface surface, int target) const {
    for (const PolicyAttachment& a : in_.policies)
      if (a.surface == surface && !a.policy.known &&
          (a.targets.empty() || std::find(a.targets.begin(), a.targets.end(), target) != a.targets.end()))
        return a.resource;
    return {};
  }

  Finding NotEvaluated(const KeyUse& u, std::string_view rule) {
    return Make("CK007", u,
                "KMS key reference " + Quote(OneLine(u.ref.written)) +
                    " is an expression lint cannot evaluate; if it is a key id or alias name, " + std::string(rule) +
                    " applies");
  }

  void Bucket(const KeyUse& u) {
    std::vector<Sharer> writers = SharedWith(in_, Surface::kS3Bucket, u.target, {"s3:PutObject"});
    std::string bucket = TargetName(in_, u.target);
    std::string bucket_text = bucket.empty() ? "the bucket" : "bucket " + bucket;
    if (u.ref.managed && !writers.empty()) {
      std::string what = u.ref.form == RefForm::kAbsent
                             ? "S3 default encryption is aws:kms without a key, that is the AWS managed key aws/s3,"
                             : "S3 default encryption names the AWS managed key " + Quote(u.ref.written) + ",";
      Finding f = Make("CK004", u,
                       what + " and " + SharersText(writers) + " may write to " + bucket_text +
                           ": S3 encrypts such writes under the writer's own aws/s3 key, which the bucket owner "
                           "cannot decrypt");
      AddSharers(&f, writers, "");
      out_.push_back(std::move(f));
      return;
    }
    if (IsUnqualified(u.ref.form) && !u.ref.managed) {
      if (writers.empty()) {
        std::string unread = UnreadPolicy(Surface::kS3Bucket, u.target);
        out_.push_back(Make("CK002", u,
                            "S3 default encryption names its KMS key " + HowNamed(u.ref) +
                                "; S3 resolves it in the account of whoever writes, which is the bucket owner's "
                                "only while no other account may write to " +
                                bucket_text +
                                (unread.empty() ? ""
                                                : " (lint could not read the bucket policy of " + unread +
                                                      "; in a plan it may be known only after apply: lint the "
                                                      "configuration too)")));
      } else {
        std::string where = writers.size() == 1 ? ResolvesIn(u, writers[0].principal) : "each writer's account";
        Finding f = Make("CK001", u,
                         "S3 default encryption names its KMS key " + HowNamed(u.ref) + ", and " +
                             SharersText(writers) + " may write to " + bucket_text +
                             ": S3 resolves the key for such writes in " + where + ", not the bucket owner's");
        AddSharers(&f, writers, "");
        out_.push_back(std::move(f));
      }
    } else if (u.ref.form == RefForm::kUnknown) {
      out_.push_back(NotEvaluated(u, writers.empty() ? "CK002" : "CK001"));
    }
    if (!u.ref.managed && !writers.empty()) KeyPolicy(u, writers, {"kms:GenerateDataKey", "kms:Decrypt"}, "S3 writes");
  }

  void Secret(const KeyUse& u) {
    std::vector<Sharer> readers =
        SharedWith(in_, Surface::kSecret, u.target, {"secretsmanager:GetSecretValue", "secretsmanager:PutSecretValue"});
    if (readers.empty()) return;
    std::string secret = TargetName(in_, u.target);
    std::string secret_text = secret.empty() ? "The secret" : "Secret " + secret;
    if (u.ref.managed) {
      std::string what = u.ref.form == RefForm::kAbsent ? " has no KmsKeyId, so it is encrypted under the AWS managed "
                                                          "key aws/secretsmanager,"
                                                        : " names the AWS managed key " + Quote(u.ref.written) + ",";
      Finding f = Make("CK004", u,
                       secret_text + what + " and its resource policy lets in " + SharersText(readers) +
                           ": Secrets Manager refuses them (\"You can't access a secret from a different AWS "
                           "account if you encrypt the secret with the default KMS service key.\")");
      AddSharers(&f, readers, "");
      out_.push_back(std::move(f));
      return;
    }
    if (IsUnqualified(u.ref.form)) {
      Finding f = Make("CK003", u,
                       secret_text + " names its KMS key " + HowNamed(u.ref) + ", and its resource policy lets in " +
                           SharersText(readers) + ": their GetSecretValue fails with \"Access to KMS is not allowed\"");
      AddSharers(&f, readers, "");
      out_.push_back(std::move(f));
    } else if (u.ref.form == RefForm::kUnknown) {
      out_.push_back(NotEvaluated(u, "CK003"));
    }
    bool writes = std::any_of(readers.begin(), readers.end(),
                              [](const Sharer& s) { return s.action == "secretsmanager:PutSecretValue"; });
    std::vector<std::string_view> needed = {"kms:Decrypt"};
    if (writes) needed.push_back("kms:GenerateDataKey");
    KeyPolicy(u, readers, needed, "Secrets Manager access");
  }

  void QueueOrTopic(const KeyUse& u) {
    if (!u.ref.managed) return;
    bool sqs = u.surface == Surface::kSqs;
    std::vector<Sharer> others =
        sqs ? SharedWith(in_, Surface::kSqs, u.target, {"sqs:SendMessage", "sqs:ReceiveMessage"})
            : SharedWith(in_, Surface::kSns, u.target, {"sns:Publish", "sns:Subscribe"});
    if (others.empty()) return;
    std::string name = TargetName(in_, u.target);
    Finding f =
        Make("CK004", u,
             std::string(sqs ? "SQS queue " : "SNS topic ") + (name.empty() ? "" : name + " ") +
                 "is encrypted under the AWS managed key " + Quote(u.ref.written) + ", and its policy lets in " +
                 SharersText(others) + ": that key's policy admits only the owning account and cannot be changed");
    AddSharers(&f, others, "");
    out_.push_back(std::move(f));
  }

  // The key the reference names (through an alias), when the input defines it.
  const KeyDef* KeyOf(const KeyRef& ref) const {
    if (ref.key < 0 || ref.key >= static_cast<int>(in_.keys.size())) return nullptr;
    const KeyDef* k = &in_.keys[ref.key];
    if (k->alias) {
      if (k->target_key < 0) return nullptr;
      k = &in_.keys[k->target_key];
    }
    return k;
  }

  bool Granted(const KeyDef& key, int key_index, const std::string& account, std::string_view action) const {
    for (const PolicyStatement& s : key.policy.statements) {
      if (!Allows(s, action)) continue;
      if (s.not_principal) return true;
      for (const PolicyPrincipal& p : s.principals)
        if (Covers(p, account)) return true;
    }
    std::string_view op = action.substr(action.find(':') + 1);
    for (const Grant& g : in_.grants) {
      if (g.key != key_index || !Covers(g.grantee, account)) continue;
      for (const std::string& o : g.operations)
        if (o == op) return true;
    }
    return false;
  }

  void KeyPolicy(const KeyUse& u, const std::vector<Sharer>& sharers, const std::vector<std::string_view>& needed,
                 std::string_view purpose) {
    const KeyDef* key = KeyOf(u.ref);
    if (!key || !key->policy.known) return;
    int key_index = static_cast<int>(key - in_.keys.data());
    for (const Sharer& s : sharers) {
      if (s.principal.kind != PolicyPrincipal::Kind::kAccount) continue;
      if (!reported_.insert({key_index, s.principal.account, std::string(purpose)}).second) continue;
      std::vector<std::string_view> missing;
      for (std::string_view action : needed)
        if (!Granted(*key, key_index, s.principal.account, action)) missing.push_back(action);
      if (missing.empty()) continue;
      std::string actions;
      for (size_t i = 0; i < missing.size(); ++i) actions += (i ? " and " : "") + std::string(missing[i]);
      Finding f;
      f.rule = FindRule("CK005");
      f.span = key->default_policy || key->policy.span.empty() ? key->span : key->policy.span;
      f.resource = key->entity;
      f.attribute = key->default_policy ? "" : "policy";
      std::string whose = key->default_policy ? "has no key policy, so KMS's default policy admits only its own "
                                                "account; it does not allow "
                                              : "has a key policy that does not allow ";
      f.message = "KMS key " + key->entity + " " + whose + "account " + s.principal.account + " " + actions +
                  ", which " + std::string(purpose) + " by that account need (" + SurfaceNoun(u.surface) + " " +
                  (TargetName(in_, u.target).empty() ? u.resource : TargetName(in_, u.target)) + ")";
      f.related.push_back({u.ref.span, "the key is used here"});
      f.related.push_back({s.statement, Who(s.principal) + " is allowed " + s.action + " here"});
      out_.push_back(std::move(f));
    }
  }

  const Input& in_;
  std::vector<Finding> out_;
  std::set<std::tuple<int, std::string, std::string>> reported_;
};

}  // namespace

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kNote:
      return "note";
  }
  return "note";
}

const std::vector<Rule>& Rules() { return kRules; }

const Rule* FindRule(std::string_view id) {
  for (const Rule& r : kRules)
    if (r.id == id) return &r;
  return nullptr;
}

std::vector<Finding> Check(const Input& input) { return Checker(input).Run(); }

}  // namespace ck::tools::lint
