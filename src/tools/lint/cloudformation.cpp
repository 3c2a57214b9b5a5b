#include "tools/lint/cloudformation.h"

#include <algorithm>

#include "tools/lint/json_reader.h"
#include "tools/lint/policy.h"
#include "tools/lint/reference.h"

namespace ck::tools::lint {

namespace {

void AddRefs(Node* into, const Node& from) {
  for (const std::string& r : from.refs)
    if (std::find(into->refs.begin(), into->refs.end(), r) == into->refs.end()) into->refs.push_back(r);
}

void AddHole(Node* e, Node hole) {
  e->literal += kHoleBegin;
  e->literal += std::to_string(e->items.size());
  e->literal += kHoleEnd;
  AddRefs(e, hole);
  e->items.push_back(std::move(hole));
}

// Fn::Sub's template: "${Name}" and "${Name.Attr}" are holes, "${!Text}" is the literal "${Text}".
void SubTemplate(Node* e, const Node& tmpl, const Node* vars) {
  const std::string& s = tmpl.text;
  for (size_t i = 0; i < s.size();) {
    if (s.compare(i, 2, "${") == 0) {
      size_t end = s.find('}', i + 2);
      if (end == std::string::npos) {
        e->literal += s.substr(i);
        break;
      }
      std::string name = s.substr(i + 2, end - i - 2);
      if (!name.empty() && name[0] == '!') {
        e->literal += "${" + name.substr(1) + "}";
      } else if (const Node* v = vars ? vars->Get(name) : nullptr) {
        AddHole(e, *v);
      } else {
        Node ref = MakeExpr("${" + name + "}", "Ref", tmpl.span);
        ref.refs.push_back(name);
        AddHole(e, std::move(ref));
      }
      i = end + 1;
    } else {
      e->literal += s[i++];
    }
  }
}

bool IsIntrinsic(const std::string& key) { return key == "Ref" || key.starts_with("Fn::"); }

std::string LogicalId(const std::string& ref) { return ref.substr(0, ref.find('.')); }

class Builder {
 public:
  Builder(Input* in, const Node& resources, bool yaml, const ReadOptions& options)
      : in_(in), resources_(resources), yaml_(yaml) {
    in_->owner_account = options.account;
    in_->region = options.region;
    if (!in_->region.empty()) in_->partition = PartitionOf(in_->region);
  }

  void Build() {
    for (const Field& r : resources_.fields) Targets(r);
    for (const Field& r : resources_.fields) Keys(r);
    for (size_t i = 0; i < in_->keys.size(); ++i) AliasTarget(i);
    for (const Field& r : resources_.fields) Policies(r);
    for (const Field& r : resources_.fields) Uses(r);
  }

 private:
  std::string_view TypeOf(const std::string& logical) const {
    const Node* r = resources_.Get(logical);
    return r ? r->Str("Type") : std::string_view();
  }

  static const Node* Props(const Field& r) { return r.value.Get("Properties"); }

  std::vector<std::string> LinkEntities(const Node* v) const {
    std::vector<std::string> out;
    if (!v || !v->is_expr()) return out;
    for (const std::string& r : v->refs)
      if (resources_.Get(LogicalId(r))) out.push_back(LogicalId(r));
    return out;
  }

  int TargetFor(Surface surface, const Node* v, bool create) {
    std::vector<std::string> entities = LinkEntities(v);
    for (size_t i = 0; i < in_->targets.size(); ++i) {
      const Target& t = in_->targets[i];
      if (t.surface != surface) continue;
      if (!t.entity.empty() && std::find(entities.begin(), entities.end(), t.entity) != entities.end())
        return static_cast<int>(i);
      if (v && v->is_string() && std::find(t.names.begin(), t.names.end(), v->text) != t.names.end())
        return static_cast<int>(i);
    }
    if (!v || (!v->is_string() && !create)) return -1;
    Target t;
    t.surface = surface;
    if (v->is_string()) t.names.push_back(v->text);
    t.display = v->text;
    in_->targets.push_back(std::move(t));
    return static_cast<int>(in_->targets.size() - 1);
  }

  int OwnTarget(const std::string& logical) const {
    for (size_t i = 0; i < in_->targets.size(); ++i)
      if (in_->targets[i].entity == logical) return static_cast<int>(i);
    return -1;
  }

  void Targets(const Field& r) {
    std::string_view type = r.value.Str("Type");
    const Node* p = Props(r);
    Target t;
    t.entity = r.key;
    std::string_view name_key;
    if (type == "AWS::S3::Bucket") {
      t.surface = Surface::kS3Bucket;
      name_key = "BucketName";
    } else if (type == "AWS::SecretsManager::Secret") {
      t.surface = Surface::kSecret;
      name_key = "Name";
    } else if (type == "AWS::SQS::Queue") {
      t.surface = Surface::kSqs;
      name_key = "QueueName";
    } else if (type == "AWS::SNS::Topic") {
      t.surface = Surface::kSns;
      name_key = "TopicName";
    } else {
      return;
    }
    std::string_view name = p ? p->Str(name_key) : std::string_view();
    if (!name.empty()) t.names.emplace_back(name);
    t.display = name.empty() ? r.key : std::string(name);
    in_->targets.push_back(std::move(t));
  }

  void Keys(const Field& r) {
    std::string_view type = r.value.Str("Type");
    const Node* p = Props(r);
    if (type == "AWS::KMS::Key" || type == "AWS::KMS::ReplicaKey") {
      KeyDef k;
      k.entity = r.key;
      k.span = r.key_span;
      const Node* policy = p ? p->Get("KeyPolicy") : nullptr;
      if (!policy) {
        k.default_policy = true;
        k.policy.known = true;
        k.policy.span = r.key_span;
      } else {
        k.policy = ReadPolicyValue(*policy);
      }
      in_->keys.push_back(std::move(k));
    } else if (type == "AWS::KMS::Alias") {
      KeyDef k;
      k.entity = r.key;
      k.alias = true;
      k.alias_name = p ? std::string(p->Str("AliasName")) : std::string();
      k.span = r.key_span;
      in_->keys.push_back(std::move(k));
    }
  }

  int KeyByEntity(const std::string& entity) const { return in_->KeyIndex(entity); }

  int AliasByName(std::string_view name) const {
    for (size_t i = 0; i < in_->keys.size(); ++i)
      if (in_->keys[i].alias && !name.empty() && in_->keys[i].alias_name == name) return static_cast<int>(i);
    return -1;
  }

  void AliasTarget(size_t i) {
    KeyDef& alias = in_->keys[i];
    if (!alias.alias) return;
    const Node* r = resources_.Get(alias.entity);
    const Node* p = r ? r->Get("Properties") : nullptr;
    const Node* target = p ? p->Get("TargetKeyId") : nullptr;
    for (const std::string& e : LinkEntities(target))
      if (int k = KeyByEntity(e); k >= 0 && !in_->keys[k].alias) alias.target_key = k;
  }

  void Attach(Surface surface, const Field& r, const Node* policy, std::vector<int> targets) {
    if (!policy) return;
    PolicyAttachment a;
    a.surface = surface;
    a.resource = r.key;
    a.targets = std::move(targets);
    a.policy = ReadPolicyValue(*policy);
    in_->policies.push_back(std::move(a));
  }

  std::vector<int> TargetsOf(Surface surface, const Node* v) {
    std::vector<int> out;
    if (!v) return out;
    for (const Node* item : v->Each())
      if (int t = TargetFor(surface, item, false); t >= 0) out.push_back(t);
    return out;
  }

  void Policies(const Field& r) {
    std::string_view type = r.value.Str("Type");
    const Node* p = Props(r);
    if (!p) return;
    if (type == "AWS::S3::BucketPolicy")
      Attach(Surface::kS3Bucket, r, p->Get("PolicyDocument"), TargetsOf(Surface::kS3Bucket, p->Get("Bucket")));
    if (type == "AWS::SecretsManager::ResourcePolicy")
      Attach(Surface::kSecret, r, p->Get("ResourcePolicy"), TargetsOf(Surface::kSecret, p->Get("SecretId")));
    if (type == "AWS::SQS::QueuePolicy")
      Attach(Surface::kSqs, r, p->Get("PolicyDocument"), TargetsOf(Surface::kSqs, p->Get("Queues")));
    if (type == "AWS::SNS::TopicPolicy")
      Attach(Surface::kSns, r, p->Get("PolicyDocument"), TargetsOf(Surface::kSns, p->Get("Topics")));
  }

  std::string GetAttArn(const std::string& logical) const {
    return yaml_ ? "!GetAtt " + logical + ".Arn" : "{\"Fn::GetAtt\": [\"" + logical + "\", \"Arn\"]}";
  }

  std::string SubArn(const std::string& resource) const {
    std::string arn = "arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:" + resource;
    if (yaml_) return "!Sub \"" + arn + "\"";
    return "{\"Fn::Sub\": \"" + arn + "\"}";
  }

  std::string Quoted(const Node& v, const std::string& s) const {
    if (!yaml_) {
      std::string out;
      AppendJsonString(&out, s);
      return out;
    }
    if (v.quote) return std::string(1, v.quote) + s + std::string(1, v.quote);
    return s;
  }

  KeyRef Describe(const Node* v, Span anchor) const {
    if (!v || v->kind == Kind::kNull || (v->is_string() && v->text.empty()) ||
        (v->is_expr() && v->fn == "Ref" && v->refs.size() == 1 && v->refs[0] == "AWS::NoValue"))
      return KeyRef::Absent(anchor);
    KeyRef ref = KeyRef::WrittenAt(v->span, v->text);
    if (v->is_string()) {
      DescribeLiteral(*v, &ref);
      return ref;
    }
    ref.form = RefForm::kUnknown;
    if (!v->is_expr()) return ref;
    if (v->fn == "Ref" && v->refs.size() == 1) DescribeRef(v->refs[0], &ref);
    else if (v->fn == "Fn::GetAtt" && v->refs.size() == 1) DescribeGetAtt(v->refs[0], &ref);
    else if (v->fn == "Fn::If" && v->items.size() == 3) DescribeIf(*v, anchor, &ref);
    else if ((v->fn == "Fn::Sub" || v->fn == "Fn::Join") && !v->literal.empty()) DescribeTemplate(*v, &ref);
    return ref;
  }

  // A literal key reference: its form, the key when the template defines it,
  // and the ARN to write instead when it is unqualified.
  void DescribeLiteral(const Node& v, KeyRef* ref) const {
    LiteralRef lit = ClassifyLiteral(v.text);
    ref->form = lit.form;
    ref->managed = lit.managed;
    if (lit.form == RefForm::kAliasName ||
        (lit.form == RefForm::kAliasArn && (in_->owner_account.empty() || lit.account == in_->owner_account)))
      ref->key = AliasByName(lit.alias_name);
    if (!IsUnqualified(lit.form) || lit.managed || lit.form == RefForm::kInvalid) return;
    ref->arn = QualifiedArn(lit, in_->owner_account, in_->region);
    if (v.replaceable)
      ref->replacement = !ref->arn.empty()
                             ? Quoted(v, ref->arn)
                             : SubArn(lit.form == RefForm::kAliasName ? lit.alias_name : "key/" + lit.key_id);
  }

  // !Ref of a key (its id) or of an alias (its name): both unqualified.
  void DescribeRef(const std::string& logical, KeyRef* ref) const {
    std::string_view type = TypeOf(logical);
    if (type == "AWS::KMS::Key" || type == "AWS::KMS::ReplicaKey") {
      ref->form = RefForm::kKeyId;
      ref->key = KeyByEntity(logical);
      ref->replacement = GetAttArn(logical);
    } else if (type == "AWS::KMS::Alias") {
      ref->form = RefForm::kAliasName;
      ref->key = KeyByEntity(logical);
      ref->replacement = SubArn("${" + logical + "}");
      const Node* r = resources_.Get(logical);
      const Node* p = r ? r->Get("Properties") : nullptr;
      std::string_view name = p ? p->Str("AliasName") : std::string_view();
      if (!name.empty()) {
        LiteralRef lit = ClassifyLiteral(name);
        ref->managed = lit.managed;
        ref->arn = QualifiedArn(lit, in_->owner_account, in_->region);
      }
    }
  }

  // !GetAtt Key.Arn is qualified; !GetAtt Key.KeyId is not.
  void DescribeGetAtt(const std::string& target, KeyRef* ref) const {
    std::string logical = LogicalId(target);
    std::string attr = target.size() > logical.size() ? target.substr(logical.size() + 1) : "";
    std::string_view type = TypeOf(logical);
    if (type != "AWS::KMS::Key" && type != "AWS::KMS::ReplicaKey") return;
    ref->key = KeyByEntity(logical);
    if (attr == "Arn") ref->form = RefForm::kKeyArn;
    if (attr == "KeyId") {
      ref->form = RefForm::kKeyId;
      ref->replacement = GetAttArn(logical);
    }
  }

  // An unqualified branch decides; qualified (or absent) branches make it qualified.
  void DescribeIf(const Node& v, Span anchor, KeyRef* ref) const {
    KeyRef a = Describe(&v.items[1], anchor), b = Describe(&v.items[2], anchor);
    for (const KeyRef* branch : {&a, &b}) {
      if (IsUnqualified(branch->form)) {
        ref->form = branch->form;
        ref->managed = branch->managed;
        ref->key = branch->key;
        return;
      }
    }
    bool a_ok = IsQualified(a.form) || a.form == RefForm::kAbsent;
    bool b_ok = IsQualified(b.form) || b.form == RefForm::kAbsent;
    if (a_ok && b_ok && (IsQualified(a.form) || IsQualified(b.form))) {
      const KeyRef& named = IsQualified(a.form) ? a : b;
      ref->form = named.form;
      ref->managed = (IsQualified(a.form) && a.managed) || (IsQualified(b.form) && b.managed);
      ref->key = named.key;
    }
  }

  // !Sub / !Join: judged by the literal text around the substitutions.
  void DescribeTemplate(const Node& v, KeyRef* ref) const {
    std::string_view prefix = TemplatePrefix(v);
    if (prefix.starts_with("arn:") || v.literal.starts_with("arn:")) {
      ref->form = v.literal.find(":alias/") != std::string::npos ? RefForm::kAliasArn : RefForm::kKeyArn;
      ref->managed = v.literal.find(":alias/aws/") != std::string::npos;
      size_t alias = v.literal.rfind(":alias/");
      if (alias != std::string::npos && v.literal.find(kHoleBegin, alias) == std::string::npos)
        ref->key = AliasByName(v.literal.substr(alias + 1));
    } else if (prefix.starts_with("alias/")) {
      ref->form = RefForm::kAliasName;
      ref->managed = prefix.starts_with("alias/aws/");
      if (v.literal.find(kHoleBegin) == std::string::npos) ref->key = AliasByName(v.literal);
    }
  }

  void AddUse(Surface surface, const Field& r, std::string attribute, const Node* value, Span anchor, int target) {
    KeyUse u;
    u.surface = surface;
    u.resource = r.key;
    u.resource_type = std::string(r.value.Str("Type"));
    u.attribute = std::move(attribute);
    u.target = target;
    u.ref = Describe(value, anchor);
    in_->uses.push_back(std::move(u));
  }

  static bool Present(const Node* v) { return v && v->kind != Kind::kNull && !(v->is_string() && v->text.empty()); }

  void Uses(const Field& r) {
    std::string_view type = r.value.Str("Type");
    const Node* p = Props(r);
    if (type == "AWS::S3::Bucket") {
      const Node* enc = p ? p->Get("BucketEncryption") : nullptr;
      const Node* rules = enc ? enc->Get("ServerSideEncryptionConfiguration") : nullptr;
      if (!rules) return;
      for (const Node* rule : rules->Each()) {
        const Node* d = rule->Get("ServerSideEncryptionByDefault");
        if (!d) continue;
        const Node* algorithm = d->Get("SSEAlgorithm");
        bool kms = algorithm && (algorithm->is_expr() || algorithm->text.starts_with("aws:kms"));
        if (!kms) continue;
        AddUse(Surface::kS3Bucket, r,
               "BucketEncryption.ServerSideEncryptionConfiguration.ServerSideEncryptionByDefault.KMSMasterKeyID",
               d->Get("KMSMasterKeyID"), algorithm->span, OwnTarget(r.key));
      }
    } else if (type == "AWS::SecretsManager::Secret") {
      AddUse(Surface::kSecret, r, "KmsKeyId", p ? p->Get("KmsKeyId") : nullptr, r.key_span, OwnTarget(r.key));
    } else if (type == "AWS::DynamoDB::Table") {
      const Node* sse = p ? p->Get("SSESpecification") : nullptr;
      const Node* key = sse ? sse->Get("KMSMasterKeyId") : nullptr;
      if (sse && Present(key)) AddUse(Surface::kDynamoDb, r, "SSESpecification.KMSMasterKeyId", key, key->span, -1);
    } else if (type == "AWS::DynamoDB::GlobalTable") {
      const Node* replicas = p ? p->Get("Replicas") : nullptr;
      if (!replicas) return;
      for (const Node* rep : replicas->Each()) {
        const Node* sse = rep->Get("SSESpecification");
        const Node* key = sse ? sse->Get("KMSMasterKeyId") : nullptr;
        if (Present(key)) AddUse(Surface::kDynamoDb, r, "Replicas.SSESpecification.KMSMasterKeyId", key, key->span, -1);
      }
    } else if (type == "AWS::SQS::Queue" || type == "AWS::SNS::Topic") {
      const Node* key = p ? p->Get("KmsMasterKeyId") : nullptr;
      if (Present(key))
        AddUse(type == "AWS::SQS::Queue" ? Surface::kSqs : Surface::kSns, r, "KmsMasterKeyId", key, key->span,
               OwnTarget(r.key));
    }
  }

  Input* in_;
  const Node& resources_;
  bool yaml_;
};

}  // namespace

void NormalizeIntrinsics(Node* n, std::string_view text) {
  for (Node& item : n->items) NormalizeIntrinsics(&item, text);
  for (Field& f : n->fields) NormalizeIntrinsics(&f.value, text);
  if (!n->is_map() || n->fields.size() != 1 || !IsIntrinsic(n->fields[0].key)) return;
  const std::string fn = n->fields[0].key;
  Node arg = std::move(n->fields[0].value);
  std::string source = n->span.end > n->span.begin && n->span.end <= text.size()
                           ? std::string(text.substr(n->span.begin, n->span.end - n->span.begin))
                           : fn;
  Node e = MakeExpr(std::move(source), fn, n->span);
  if (fn == "Ref") {
    if (arg.is_string()) e.refs.push_back(arg.text);
    e.items.push_back(std::move(arg));
  } else if (fn == "Fn::GetAtt") {
    if (arg.is_string()) {
      e.refs.push_back(arg.text);
    } else if (arg.is_list() && arg.items.size() == 2 && arg.items[0].is_string() && arg.items[1].is_string()) {
      e.refs.push_back(arg.items[0].text + "." + arg.items[1].text);
    }
    e.items.push_back(std::move(arg));
  } else if (fn == "Fn::Sub") {
    const Node* tmpl = arg.is_string() ? &arg : (arg.is_list() && !arg.items.empty() ? &arg.items[0] : nullptr);
    const Node* vars = arg.is_list() && arg.items.size() > 1 ? &arg.items[1] : nullptr;
    if (tmpl && tmpl->is_string()) {
      SubTemplate(&e, *tmpl, vars);
    } else {
      e.items.push_back(arg);
      AddRefs(&e, arg);
    }
  } else if (fn == "Fn::Join") {
    if (arg.is_list() && arg.items.size() == 2 && arg.items[0].is_string() && arg.items[1].is_list()) {
      const std::string& delimiter = arg.items[0].text;
      bool first = true;
      for (Node& part : arg.items[1].items) {
        if (!first) e.literal += delimiter;
        first = false;
        if (part.is_string()) {
          e.literal += part.text;
        } else {
          AddHole(&e, std::move(part));
        }
      }
    } else {
      AddRefs(&e, arg);
      e.items.push_back(std::move(arg));
    }
  } else {
    for (const Node* item : arg.Each()) {
      AddRefs(&e, *item);
      e.items.push_back(*item);
    }
  }
  *n = std::move(e);
}

bool LooksLikeCloudFormation(const Node& root) {
  if (!root.is_map()) return false;
  const Node* resources = root.Get("Resources");
  return root.Get("AWSTemplateFormatVersion") || (resources && resources->is_map());
}

Input ReadCloudFormation(std::string name, uint32_t file, Node* root, bool yaml, const ReadOptions& options) {
  Input in;
  in.format = yaml ? Format::kCloudFormationYaml : Format::kCloudFormationJson;
  in.name = std::move(name);
  in.files.push_back(file);
  in.fixable = true;
  const Node* resources = root->Get("Resources");
  if (!resources || !resources->is_map()) return in;
  Builder b(&in, *resources, yaml, options);
  b.Build();
  return in;
}

}  // namespace ck::tools::lint
