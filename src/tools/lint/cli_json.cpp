#include "tools/lint/cli_json.h"

#include "tools/lint/reference.h"

namespace ck::tools::lint {

namespace {

const Node* Rules(const Node& root) {
  const Node* config = root.Get("ServerSideEncryptionConfiguration");
  if (!config) config = &root;
  const Node* rules = config->Get("Rules");
  return rules && rules->is_list() ? rules : nullptr;
}

}  // namespace

bool LooksLikeBucketEncryption(const Node& root) { return root.is_map() && Rules(root) != nullptr; }

Input ReadBucketEncryption(std::string name, uint32_t file, const Node& root, const ReadOptions& options) {
  Input in;
  in.format = Format::kBucketEncryptionJson;
  in.name = name;
  in.files.push_back(file);
  in.owner_account = options.account;
  in.region = options.region;
  if (!in.region.empty()) in.partition = PartitionOf(in.region);
  const Node* rules = Rules(root);
  if (!rules) return in;
  Target bucket;
  bucket.surface = Surface::kS3Bucket;
  in.targets.push_back(bucket);
  for (const Node* rule : rules->Each()) {
    const Node* d = rule->Get("ApplyServerSideEncryptionByDefault");
    if (!d) continue;
    const Node* algorithm = d->Get("SSEAlgorithm");
    if (!algorithm || !algorithm->is_string() || !algorithm->text.starts_with("aws:kms")) continue;
    KeyUse u;
    u.surface = Surface::kS3Bucket;
    u.resource = name;
    u.resource_type = "s3api get-bucket-encryption";
    u.attribute = "ApplyServerSideEncryptionByDefault.KMSMasterKeyID";
    u.target = 0;
    const Node* key = d->Get("KMSMasterKeyID");
    if (!key || !key->is_string() || key->text.empty()) {
      u.ref.form = RefForm::kAbsent;
      u.ref.managed = true;
      u.ref.span = algorithm->span;
    } else {
      LiteralRef lit = ClassifyLiteral(key->text);
      u.ref.form = lit.form;
      u.ref.managed = lit.managed;
      u.ref.written = key->text;
      u.ref.span = key->span;
      if (IsUnqualified(lit.form) && !lit.managed) u.ref.arn = QualifiedArn(lit, in.owner_account, in.region);
    }
    in.uses.push_back(std::move(u));
  }
  return in;
}

}  // namespace ck::tools::lint
