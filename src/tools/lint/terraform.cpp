#include "tools/lint/terraform.h"

#include <algorithm>
#include <deque>
#include <map>
#include <set>

#include "tools/lint/hcl_reader.h"
#include "tools/lint/policy.h"
#include "tools/lint/reference.h"

namespace ck::tools::lint {

namespace {

struct TfResource {
  std::string mode;  // "managed" or "data"
  std::string type, name;
  std::string address;  // without instance keys: "module.m.aws_s3_bucket.b", "data.aws_region.r"
  std::string module;   // "module.m." or ""
  const Node* body = nullptr;
  const Node* config = nullptr;  // plan: the configuration's expressions for it
  Span span;
};

struct Link {
  std::vector<std::string> entities;  // addresses referenced
  std::vector<std::string> names;     // literal names
  std::string text;                   // as written
};

// "aws_kms_key.k.arn" → {"aws_kms_key.k", "arn"}; "data.aws_kms_key.k.id" → {"data.aws_kms_key.k", "id"}.
std::pair<std::string, std::string> SplitRef(const std::string& ref) {
  size_t parts = ref.starts_with("data.") ? 3 : 2;
  size_t pos = 0;
  for (size_t i = 0; i < parts; ++i) {
    pos = ref.find('.', pos);
    if (pos == std::string::npos) return {ref, ""};
    if (i + 1 < parts) ++pos;
  }
  std::string attr = ref.substr(pos + 1);
  size_t dot = attr.find('.');
  if (dot != std::string::npos) attr.resize(dot);
  return {ref.substr(0, pos), attr};
}

// "module.a.aws_s3_bucket.b[0]" → "module.a.aws_s3_bucket.b".
std::string StripInstanceKeys(std::string address) {
  while (!address.empty() && address.back() == ']') {
    size_t open = address.rfind('[');
    if (open == std::string::npos) break;
    address.resize(open);
  }
  return address;
}

bool IsKeyType(std::string_view t) {
  return t == "aws_kms_key" || t == "aws_kms_replica_key" || t == "aws_kms_external_key" ||
         t == "aws_kms_replica_external_key";
}

class Builder {
 public:
  Builder(Input* in, bool source, const ReadOptions& options) : in_(in), source_(source), options_(options) {}

  std::vector<TfResource> resources;
  std::map<std::string, const Node*> locals;  // "local.x" (with module prefix)
  std::string provider_region;

  void Build() {
    Context();
    for (const TfResource& r : resources) Targets(r);
    for (const TfResource& r : resources) Keys(r);
    LearnFromKeyArns();
    for (size_t i = 0; i < in_->keys.size(); ++i) AliasTarget(i);
    for (const TfResource& r : resources) Grants(r);
    for (const TfResource& r : resources) Policies(r);
    for (const TfResource& r : resources) Uses(r);
  }

 private:
  const TfResource* Find(const std::string& address) const {
    for (const TfResource& r : resources)
      if (r.address == address) return &r;
    return nullptr;
  }

  // The value a local stands for, following locals that name locals.
  const Node* Deref(const Node* v, const std::string& module, int depth = 0) const {
    while (v && v->is_expr() && v->fn == "traversal" && v->refs.size() == 1 && v->refs[0].starts_with("local.") &&
           depth++ < 16) {
      std::string name = v->refs[0];
      size_t dot = name.find('.', 6);
      if (dot != std::string::npos) return v;  // local.map.key: not followed
      auto it = locals.find(module + name);
      if (it == locals.end()) return v;
      v = it->second;
    }
    return v;
  }

  void Context() {
    in_->owner_account = options_.account;
    in_->region = options_.region;
    for (const TfResource& r : resources) {
      if (r.mode != "data" || !r.body) continue;
      if (r.type == "aws_caller_identity" && in_->owner_account.empty() && IsAccountId(r.body->Str("account_id")))
        in_->owner_account = std::string(r.body->Str("account_id"));
      if (r.type == "aws_region" && in_->region.empty()) {
        std::string_view name = r.body->Str("region");
        if (name.empty()) name = r.body->Str("name");
        in_->region = std::string(name);
      }
    }
    if (in_->region.empty()) in_->region = provider_region;
    if (!in_->region.empty()) in_->partition = PartitionOf(in_->region);
  }

  // Keys and aliases the input creates live in its provider's account and
  // region: known ARNs (state, plans of existing keys) tell both.
  void LearnFromKeyArns() {
    for (const KeyDef& k : in_->keys) {
      LiteralRef lit = ClassifyLiteral(k.arn);
      if (!IsQualified(lit.form)) continue;
      if (in_->owner_account.empty()) in_->owner_account = lit.account;
      if (in_->region.empty()) {
        in_->region = lit.region;
        in_->partition = lit.partition;
      }
    }
  }

  Link LinkOf(const Node* v, const std::string& module) const {
    Link link;
    v = Deref(v, module);
    if (!v) return link;
    link.text = v->text;
    if (v->is_string()) {
      if (!v->text.empty()) link.names.push_back(v->text);
      return link;
    }
    for (const std::string& ref : v->refs) {
      if (ref.starts_with("local.") || ref.starts_with("var.") || ref.starts_with("module.")) continue;
      link.entities.push_back(module + SplitRef(ref).first);
    }
    return link;
  }

  int TargetFor(Surface surface, const Link& link, bool create) {
    for (size_t i = 0; i < in_->targets.size(); ++i) {
      const Target& t = in_->targets[i];
      if (t.surface != surface) continue;
      for (const std::string& e : link.entities)
        if (!t.entity.empty() && e == t.entity) return static_cast<int>(i);
      for (const std::string& n : link.names)
        for (const std::string& tn : t.names)
          if (n == tn) return static_cast<int>(i);
    }
    if (!create && link.names.empty()) return -1;
    Target t;
    t.surface = surface;
    t.names = link.names;
    t.display = !link.names.empty() ? link.names[0] : link.text;
    in_->targets.push_back(std::move(t));
    return static_cast<int>(in_->targets.size() - 1);
  }

  void Targets(const TfResource& r) {
    if (r.mode != "managed" || !r.body) return;
    Surface surface;
    std::vector<std::string_view> attrs;
    if (r.type == "aws_s3_bucket") {
      surface = Surface::kS3Bucket;
      attrs = {"bucket", "id", "arn"};
    } else if (r.type == "aws_secretsmanager_secret") {
      surface = Surface::kSecret;
      attrs = {"name", "arn", "id"};
    } else if (r.type == "aws_sqs_queue") {
      surface = Surface::kSqs;
      attrs = {"name", "arn", "url", "id"};
    } else if (r.type == "aws_sns_topic") {
      surface = Surface::kSns;
      attrs = {"name", "arn", "id"};
    } else {
      return;
    }
    Target t;
    t.surface = surface;
    t.entity = r.address;
    for (std::string_view a : attrs) {
      std::string_view v = r.body->Str(a);
      if (!v.empty() && std::find(t.names.begin(), t.names.end(), v) == t.names.end()) t.names.emplace_back(v);
    }
    t.display = t.names.empty() ? r.address : t.names[0];
    in_->targets.push_back(std::move(t));
  }

  Policy PolicyOf(const Node* v, const std::string& module) const {
    v = Deref(v, module);
    Policy unknown;
    if (!v) return unknown;
    unknown.span = v->span;
    if (v->is_expr() && (v->fn == "traversal" || v->fn == "unknown")) {
      for (const std::string& ref : v->refs) {
        auto [entity, attr] = SplitRef(ref);
        if (!entity.starts_with("data.aws_iam_policy_document.") || attr != "json") continue;
        const TfResource* doc = Find(module + entity);
        if (!doc || !doc->body) continue;
        Policy p;
        if (const Node* json = doc->body->Get("json"); json && json->is_string()) {
          p = ReadPolicyValue(*json);
        } else {
          p = ReadPolicyDocumentBlocks(*doc->body);
        }
        return p;
      }
      return unknown;
    }
    return ReadPolicyValue(*v);
  }

  void Keys(const TfResource& r) {
    if (r.mode != "managed" || !r.body) return;
    if (IsKeyType(r.type)) {
      KeyDef k;
      k.entity = r.address;
      k.key_id = std::string(r.body->Str("key_id"));
      k.arn = std::string(r.body->Str("arn"));
      k.span = r.span;
      const Node* policy = r.body->Get("policy");
      bool configured = source_ ? policy != nullptr : (r.config && r.config->Get("policy"));
      if (policy && policy->is_string() && policy->text.empty()) policy = nullptr;
      if (!configured && (!policy || policy->is_expr())) {
        k.default_policy = true;
        k.policy.known = true;
        k.policy.span = r.span;
      } else if (policy) {
        k.policy = PolicyOf(policy, r.module);
      }
      in_->keys.push_back(std::move(k));
    } else if (r.type == "aws_kms_alias") {
      KeyDef k;
      k.entity = r.address;
      k.alias = true;
      k.alias_name = std::string(r.body->Str("name"));
      k.arn = std::string(r.body->Str("arn"));
      k.span = r.span;
      in_->keys.push_back(std::move(k));
    }
  }

  int KeyByEntity(const std::string& entity) const { return in_->KeyIndex(entity); }

  // The key or alias a literal reference names, when the input defines it.
  int KeyByLiteral(const LiteralRef& lit, const std::string& text) const {
    for (size_t i = 0; i < in_->keys.size(); ++i) {
      const KeyDef& k = in_->keys[i];
      if (!k.arn.empty() && k.arn == text) return static_cast<int>(i);
      if (k.alias && !k.alias_name.empty() && k.alias_name == lit.alias_name) {
        if (lit.form == RefForm::kAliasName) return static_cast<int>(i);
        if (lit.form == RefForm::kAliasArn && (in_->owner_account.empty() || lit.account == in_->owner_account))
          return static_cast<int>(i);
      }
      if (!k.alias && !k.key_id.empty() && k.key_id == lit.key_id) return static_cast<int>(i);
    }
    return -1;
  }

  void AliasTarget(size_t i) {
    KeyDef& alias = in_->keys[i];
    if (!alias.alias) return;
    const TfResource* r = Find(alias.entity);
    if (!r || !r->body) return;
    const Node* target = Deref(r->body->Get("target_key_id"), r->module);
    if (!target) return;
    if (target->is_string()) {
      LiteralRef lit = ClassifyLiteral(target->text);
      for (size_t j = 0; j < in_->keys.size(); ++j) {
        const KeyDef& k = in_->keys[j];
        if (!k.alias && ((!k.key_id.empty() && k.key_id == lit.key_id) || (!k.arn.empty() && k.arn == target->text)))
          alias.target_key = static_cast<int>(j);
      }
      return;
    }
    for (const std::string& ref : target->refs) {
      int k = KeyByEntity(r->module + SplitRef(ref).first);
      if (k >= 0 && !in_->keys[k].alias) {
        alias.target_key = k;
        return;
      }
    }
  }

  void Grants(const TfResource& r) {
    if (r.mode != "managed" || r.type != "aws_kms_grant" || !r.body) return;
    Grant g;
    g.span = r.span;
    const Node* key = Deref(r.body->Get("key_id"), r.module);
    if (key && key->is_string()) {
      g.key = KeyByLiteral(ClassifyLiteral(key->text), key->text);
    } else if (key) {
      for (const std::string& ref : key->refs)
        if (int k = KeyByEntity(r.module + SplitRef(ref).first); k >= 0) g.key = k;
    }
    if (const Node* grantee = Deref(r.body->Get("grantee_principal"), r.module)) g.grantee = PrincipalOf(*grantee);
    if (const Node* ops = r.body->Get("operations"))
      for (const Node* op : ops->Each())
        if (op->is_string()) g.operations.push_back(op->text);
    in_->grants.push_back(std::move(g));
  }

  void Attach(Surface surface, const TfResource& r, const Node* policy, int target) {
    if (!policy || policy->kind == Kind::kNull || (policy->is_string() && policy->text.empty())) return;
    PolicyAttachment a;
    a.surface = surface;
    a.resource = r.address;
    if (target >= 0) a.targets.push_back(target);
    a.policy = PolicyOf(policy, r.module);
    in_->policies.push_back(std::move(a));
  }

  int OwnTarget(const TfResource& r) const {
    for (size_t i = 0; i < in_->targets.size(); ++i)
      if (in_->targets[i].entity == r.address) return static_cast<int>(i);
    return -1;
  }

  void Policies(const TfResource& r) {
    if (r.mode != "managed" || !r.body) return;
    const Node* b = r.body;
    if (r.type == "aws_s3_bucket") Attach(Surface::kS3Bucket, r, b->Get("policy"), OwnTarget(r));
    if (r.type == "aws_secretsmanager_secret") Attach(Surface::kSecret, r, b->Get("policy"), OwnTarget(r));
    if (r.type == "aws_sqs_queue") Attach(Surface::kSqs, r, b->Get("policy"), OwnTarget(r));
    if (r.type == "aws_sns_topic") Attach(Surface::kSns, r, b->Get("policy"), OwnTarget(r));
    if (r.type == "aws_s3_bucket_policy")
      Attach(Surface::kS3Bucket, r, b->Get("policy"),
             TargetFor(Surface::kS3Bucket, LinkOf(b->Get("bucket"), r.module), false));
    if (r.type == "aws_secretsmanager_secret_policy")
      Attach(Surface::kSecret, r, b->Get("policy"),
             TargetFor(Surface::kSecret, LinkOf(b->Get("secret_arn"), r.module), false));
    if (r.type == "aws_sqs_queue_policy")
      Attach(Surface::kSqs, r, b->Get("policy"),
             TargetFor(Surface::kSqs, LinkOf(b->Get("queue_url"), r.module), false));
    if (r.type == "aws_sns_topic_policy")
      Attach(Surface::kSns, r, b->Get("policy"), TargetFor(Surface::kSns, LinkOf(b->Get("arn"), r.module), false));
  }

  // What a key reference is, and what to write instead.
  KeyRef Describe(const Node* raw, Span anchor, const std::string& module) const {
    const Node* v = Deref(raw, module);
    if (!v || v->kind == Kind::kNull || (v->is_string() && v->text.empty())) return KeyRef::Absent(anchor);
    KeyRef ref = KeyRef::WrittenAt(v->span, v->text);
    if (v->is_string()) {
      LiteralRef lit = ClassifyLiteral(v->text);
      ref.form = lit.form;
      ref.managed = lit.managed;
      ref.key = KeyByLiteral(lit, v->text);
      if (!IsUnqualified(lit.form) || lit.managed) return ref;
      const KeyDef* def = ref.key >= 0 ? &in_->keys[ref.key] : nullptr;
      if (def && !def->arn.empty()) ref.arn = def->arn;
      if (ref.arn.empty()) ref.arn = QualifiedArn(lit, in_->owner_account, in_->region);
      if (source_ && v->replaceable) {
        if (def) {
          ref.replacement = def->entity + ".arn";
        } else if (!ref.arn.empty()) {
          AppendHclString(&ref.replacement, ref.arn);
        }
      } else if (!source_ && def && !def->entity.starts_with("module.")) {
        ref.suggestion = def->entity + ".arn";
      }
      return ref;
    }
    ref.form = RefForm::kUnknown;
    if (v->fn == "template") {
      std::string_view prefix = TemplatePrefix(*v);
      if (prefix.starts_with("arn:")) {
        ref.form = v->literal.find(":alias/") != std::string::npos ? RefForm::kAliasArn : RefForm::kKeyArn;
        ref.managed = v->literal.find(":alias/aws/") != std::string::npos;
      } else if (prefix.starts_with("alias/")) {
        ref.form = RefForm::kAliasName;
        ref.managed = prefix.starts_with("alias/aws/");
      }
      return ref;
    }
    if (v->fn != "traversal" && v->fn != "unknown") return ref;
    for (const std::string& r : v->refs) {
      auto [entity, attr] = SplitRef(r);
      std::string type =
          entity.starts_with("data.") ? entity.substr(5, entity.find('.', 5) - 5) : entity.substr(0, entity.find('.'));
      bool data = entity.starts_with("data.");
      std::string better;  // the attribute that gives an ARN
      RefForm form = RefForm::kUnknown;
      if (IsKeyType(type) || (data && type == "aws_kms_key")) {
        if (attr == "arn") form = RefForm::kKeyArn;
        if (attr == "key_id" || attr == "id") form = RefForm::kKeyId, better = "arn";
      } else if (type == "aws_kms_alias") {
        if (attr == "arn") form = RefForm::kAliasArn;
        if (attr == "target_key_arn") form = RefForm::kKeyArn;
        if (attr == "target_key_id") form = RefForm::kKeyId, better = "target_key_arn";
        if (attr == "name" || (!data && attr == "id")) form = RefForm::kAliasName, better = "arn";
      }
      if (form == RefForm::kUnknown) continue;
      ref.form = form;
      ref.key = KeyByEntity(module + entity);
      if (ref.key >= 0) {
        const KeyDef& def = in_->keys[ref.key];
        if (def.alias && (attr == "target_key_arn" || attr == "target_key_id")) ref.key = def.target_key;
      }
      if (ref.key >= 0 && !in_->keys[ref.key].arn.empty() && IsUnqualified(form)) ref.arn = in_->keys[ref.key].arn;
      if (!better.empty() && source_ && v->fn == "traversal" && v == raw) {
        ref.replacement = entity + "." + better;
      } else if (!better.empty()) {
        ref.suggestion = entity + "." + better;
      }
      return ref;
    }
    return ref;
  }

  void AddUse(Surface surface, const TfResource& r, std::string attribute, const Node* value, Span anchor, int target) {
    KeyUse u;
    u.surface = surface;
    u.resource = r.address;
    u.resource_type = r.type;
    u.attribute = std::move(attribute);
    u.target = target;
    u.ref = Describe(value, anchor, r.module);
    in_->uses.push_back(std::move(u));
  }

  // The header line of a resource, where a finding about a missing setting points.
  static Span Header(const TfResource& r) { return {r.span.file, r.span.begin, r.span.begin + 1}; }

  void BucketRules(const TfResource& r, const Node* rules, const std::string& path, int target) {
    if (!rules) return;
    for (const Node* rule : rules->Each()) {
      const Node* by_default = rule->Get("apply_server_side_encryption_by_default");
      if (!by_default) continue;
      for (const Node* d : by_default->Each()) {
        const Node* algorithm = d->Get("sse_algorithm");
        const Node* key = d->Get("kms_master_key_id");
        bool kms = algorithm && (algorithm->is_expr() || algorithm->text.starts_with("aws:kms"));
        if (!kms) continue;
        AddUse(Surface::kS3Bucket, r, path + "apply_server_side_encryption_by_default.kms_master_key_id", key,
               algorithm->span, target);
      }
    }
  }

  void Uses(const TfResource& r) {
    if (r.mode != "managed" || !r.body) return;
    const Node* b = r.body;
    if (r.type == "aws_s3_bucket") {
      if (const Node* sse = b->Get("server_side_encryption_configuration"))
        for (const Node* c : sse->Each())
          BucketRules(r, c->Get("rule"), "server_side_encryption_configuration.rule.", OwnTarget(r));
    } else if (r.type == "aws_s3_bucket_server_side_encryption_configuration") {
      BucketRules(r, b->Get("rule"), "rule.", TargetFor(Surface::kS3Bucket, LinkOf(b->Get("bucket"), r.module), true));
    } else if (r.type == "aws_s3_object" || r.type == "aws_s3_bucket_object") {
      const Node* key = b->Get("kms_key_id");
      if (key && key->kind != Kind::kNull && !(key->is_string() && key->text.empty()))
        AddUse(Surface::kS3Object, r, "kms_key_id", key, key->span,
               TargetFor(Surface::kS3Bucket, LinkOf(b->Get("bucket"), r.module), true));
    } else if (r.type == "aws_secretsmanager_secret") {
      AddUse(Surface::kSecret, r, "kms_key_id", b->Get("kms_key_id"), Header(r), OwnTarget(r));
    } else if (r.type == "aws_dynamodb_table") {
      if (const Node* sse = b->Get("server_side_encryption"))
        for (const Node* s : sse->Each()) {
          const Node* key = s->Get("kms_key_arn");
          if (s->Get("enabled") && s->Get("enabled")->is_true() && key && key->kind != Kind::kNull &&
              !(key->is_string() && key->text.empty()))
            AddUse(Surface::kDynamoDb, r, "server_side_encryption.kms_key_arn", key, key->span, -1);
        }
      if (const Node* replicas = b->Get("replica"))
        for (const Node* rep : replicas->Each()) {
          const Node* key = rep->Get("kms_key_arn");
          if (key && key->kind != Kind::kNull && !(key->is_string() && key->text.empty()))
            AddUse(Surface::kDynamoDb, r, "replica.kms_key_arn", key, key->span, -1);
        }
    } else if (r.type == "aws_sqs_queue" || r.type == "aws_sns_topic") {
      const Node* key = b->Get("kms_master_key_id");
      if (key && key->kind != Kind::kNull && !(key->is_string() && key->text.empty()))
        AddUse(r.type == "aws_sqs_queue" ? Surface::kSqs : Surface::kSns, r, "kms_master_key_id", key, key->span,
               OwnTarget(r));
    }
  }

  Input* in_;
  bool source_;
  ReadOptions options_;
};

// ---- plan and state JSON ----

void CollectConfig(const Node* module, const std::string& prefix, std::map<std::string, const Node*>* out) {
  if (!module) return;
  if (const Node* resources = module->Get("resources"))
    for (const Node* r : resources->Each())
      if (const Node* exprs = r->Get("expressions")) (*out)[prefix + std::string(r->Str("address"))] = exprs;
  if (const Node* calls = module->Get("module_calls"))
    for (const Field& f : calls->fields) CollectConfig(f.value.Get("module"), prefix + "module." + f.key + ".", out);
}

// References the configuration gives for an attribute ({"references": [...]}).
std::vector<std::string> ConfigRefs(const Node* expr) {
  std::vector<std::string> refs;
  if (!expr) return refs;
  if (const Node* list = expr->Get("references"))
    for (const Node* r : list->Each())
      if (r->is_string()) refs.push_back(r->text);
  return refs;
}

// Puts "known after apply" values back into `values`.
void Overlay(Node* values, const Node& unknown, const Node* expr) {
  if (unknown.is_map() && values->is_map()) {
    for (const Field& f : unknown.fields) {
      Node* v = values->GetMutable(f.key);
      const Node* e = expr && expr->is_map() ? expr->Get(f.key) : nullptr;
      if (f.value.is_true()) {
        Node x = MakeExpr("(known after apply)", "unknown", values->span);
        x.refs = ConfigRefs(e);
        if (!x.refs.empty()) x.text = x.refs[0];
        if (!v) {
          values->fields.push_back({f.key, values->span, std::move(x)});
        } else if (v->kind == Kind::kNull) {
          *v = std::move(x);
        }
      } else if (v) {
        Overlay(v, f.value, e);
      }
    }
  } else if (unknown.is_list() && values->is_list()) {
    for (size_t i = 0; i < unknown.items.size() && i < values->items.size(); ++i) {
      const Node* e = nullptr;
      if (expr && expr->is_list() && i < expr->items.size()) e = &expr->items[i];
      Overlay(&values->items[i], unknown.items[i], e);
    }
  }
}

struct PlanReader {
  Builder* builder;
  std::deque<Node>* owned;
  std::map<std::string, const Node*> configs;
  std::map<std::string, const Node*> after_unknown;
  bool data_only = false;

  void Module(const Node* module) {
    if (!module) return;
    if (const Node* resources = module->Get("resources")) {
      for (const Node* r : resources->Each()) {
        std::string mode(r->Str("mode"));
        if (data_only && mode != "data") continue;
        TfResource res;
        res.mode = mode.empty() ? "managed" : mode;
        res.type = std::string(r->Str("type"));
        res.name = std::string(r->Str("name"));
        std::string address(r->Str("address"));
        res.address = StripInstanceKeys(address);
        std::string tail = (res.mode == "data" ? "data." : "") + res.type + "." + res.name;
        res.module = res.address.size() > tail.size() ? res.address.substr(0, res.address.size() - tail.size()) : "";
        res.span = r->span;
        auto c = configs.find(res.address);
        if (c != configs.end()) res.config = c->second;
        const Node* values = r->Get("values");
        if (!values) continue;
        owned->push_back(*values);
        Node* copy = &owned->back();
        auto u = after_unknown.find(address);
        if (u != after_unknown.end()) Overlay(copy, *u->second, res.config);
        res.body = copy;
        builder->resources.push_back(std::move(res));
      }
    }
    if (const Node* children = module->Get("child_modules"))
      for (const Node* child : children->Each()) Module(child);
  }
};

}  // namespace

bool LooksLikeTerraformJson(const Node& root, Format* format) {
  if (!root.is_map() || !root.Get("format_version")) return false;
  if (root.Get("planned_values") || root.Get("resource_changes") || root.Get("configuration")) {
    *format = Format::kTerraformPlan;
    return true;
  }
  if (const Node* values = root.Get("values"); values && values->Get("root_module")) {
    *format = Format::kTerraformState;
    return true;
  }
  if (root.Get("terraform_version")) {  // an empty state: {"format_version": "1.0"} and nothing else
    *format = Format::kTerraformState;
    return true;
  }
  return false;
}

Input ReadTerraformModule(std::string name, const std::vector<HclFile>& files, const ReadOptions& options) {
  Input in;
  in.format = Format::kTerraformHcl;
  in.name = std::move(name);
  in.fixable = true;
  Builder b(&in, /*source=*/true, options);
  for (const HclFile& f : files) {
    in.files.push_back(f.file);
    for (const Field& field : f.body.fields) {
      if (field.value.fn != "blocks") continue;
      for (const Node& block : field.value.items) {
        if ((field.key == "resource" || field.key == "data") && block.labels.size() == 2) {
          TfResource r;
          r.mode = field.key == "data" ? "data" : "managed";
          r.type = block.labels[0];
          r.name = block.labels[1];
          r.address = (r.mode == "data" ? "data." : "") + r.type + "." + r.name;
          r.body = &block;
          r.span = block.span;
          b.resources.push_back(std::move(r));
        } else if (field.key == "locals") {
          for (const Field& local : block.fields) b.locals["local." + local.key] = &local.value;
        } else if (field.key == "provider" && block.labels.size() == 1 && block.labels[0] == "aws" &&
                   !block.Get("alias")) {
          if (std::string_view region = block.Str("region"); !region.empty()) b.provider_region = std::string(region);
        }
      }
    }
  }
  b.Build();
  return in;
}

Input ReadTerraformJson(std::string name, uint32_t file, const Node& root, Format format, const ReadOptions& options) {
  Input in;
  in.format = format;
  in.name = std::move(name);
  in.files.push_back(file);
  Builder b(&in, /*source=*/false, options);
  std::deque<Node> owned;
  PlanReader reader{&b, &owned, {}, {}, false};
  if (format == Format::kTerraformPlan) {
    if (const Node* config = root.Get("configuration")) {
      CollectConfig(config->Get("root_module"), "", &reader.configs);
      if (const Node* providers = config->Get("provider_config"))
        for (const Field& p : providers->fields) {
          if (p.value.Str("name") != "aws" || p.value.Get("alias")) continue;
          const Node* exprs = p.value.Get("expressions");
          const Node* region = exprs ? exprs->Get("region") : nullptr;
          if (region && !region->Str("constant_value").empty())
            b.provider_region = std::string(region->Str("constant_value"));
        }
    }
    if (const Node* changes = root.Get("resource_changes"))
      for (const Node* c : changes->Each()) {
        const Node* change = c->Get("change");
        const Node* unknown = change ? change->Get("after_unknown") : nullptr;
        if (unknown) reader.after_unknown[std::string(c->Str("address"))] = unknown;
      }
    if (const Node* planned = root.Get("planned_values")) reader.Module(planned->Get("root_module"));
    // Data sources read during planning are in the prior state.
    if (const Node* prior = root.Get("prior_state"); prior && prior->Get("values")) {
      reader.data_only = true;
      std::set<std::string> seen;
      for (const TfResource& r : b.resources) seen.insert(r.address);
      size_t before = b.resources.size();
      reader.Module(prior->Get("values")->Get("root_module"));
      std::vector<TfResource> kept(b.resources.begin(), b.resources.begin() + before);
      for (size_t i = before; i < b.resources.size(); ++i)
        if (!seen.count(b.resources[i].address)) kept.push_back(b.resources[i]);
      b.resources = std::move(kept);
    }
  } else if (const Node* values = root.Get("values")) {
    reader.Module(values->Get("root_module"));
  }
  b.Build();
  return in;
}

}  // namespace ck::tools::lint
