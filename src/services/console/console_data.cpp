#include "services/console/console_data.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <utility>
#include <vector>

#include "base/clock.h"
#include "base/fields.h"
#include "core/arn.h"
#include "core/audit/analysis.h"
#include "core/iam/policy_document.h"
#include "core/kms/resolver.h"
#include "services/dynamodb/catalog.h"
#include "services/s3/catalog.h"
#include "services/secretsmanager/catalog.h"

namespace ck::services::console {

// The members of a CloudTrail record (the CloudTrailEvent JSON LookupEvents
// answers) the console shows.
struct TrailIdentity {
  std::string arn, invoked_by;
};
struct TrailResource {
  std::string arn, type;
};
struct TrailRecord {
  std::string event_id, event_time, event_source, event_name, recipient_account, shared_event_id, request_id,
      error_code, error_message;
  TrailIdentity user_identity;
  std::vector<TrailResource> resources;
};
CK_DECLARE_FIELDS(TrailIdentity);
CK_DECLARE_FIELDS(TrailResource);
CK_DECLARE_FIELDS(TrailRecord);

namespace {
template <class V, class S>
void TrailIdentityFields(V& v, S& s) {
  v("arn", s.arn, false);
  v("invokedBy", s.invoked_by, false);
}
template <class V, class S>
void TrailResourceFields(V& v, S& s) {
  v("ARN", s.arn, false);
  v("type", s.type, false);
}
template <class V, class S>
void TrailRecordFields(V& v, S& s) {
  v("eventID", s.event_id, false);
  v("eventTime", s.event_time, false);
  v("eventSource", s.event_source, false);
  v("eventName", s.event_name, false);
  v("recipientAccountId", s.recipient_account, false);
  v("sharedEventID", s.shared_event_id, false);
  v("requestID", s.request_id, false);
  v("errorCode", s.error_code, false);
  v("errorMessage", s.error_message, false);
  v("userIdentity", s.user_identity, false);
  v("resources", s.resources, false);
}
}  // namespace

CK_DEFINE_FIELDS(TrailIdentity, TrailIdentityFields)
CK_DEFINE_FIELDS(TrailResource, TrailResourceFields)
CK_DEFINE_FIELDS(TrailRecord, TrailRecordFields)

using nlohmann::json;
namespace audit = core::audit;
using KeyPtr = std::shared_ptr<const core::kms::KeyRecord>;

namespace {

// --- Keys -------------------------------------------------------------------

// The resolver's rules over the catalog, except that a predefined AWS alias
// whose key was never used (alias/aws/s3) is reported instead of created.
class CatalogDirectory final : public core::kms::KeyDirectory {
 public:
  explicit CatalogDirectory(kms::KeyCatalog& catalog) : catalog_(catalog) {}
  KeyPtr FindKey(const std::string& account, const std::string& region, const std::string& key_id) override {
    return catalog_.FindKey(account, region, key_id);
  }
  std::optional<std::string> FindAlias(const std::string& account, const std::string& region,
                                       const std::string& alias_name) override {
    return catalog_.FindAlias(account, region, alias_name);
  }
  Result<KeyPtr> EnsureManagedKey(const std::string&, const std::string&,
                                  const core::kms::ManagedAlias& alias) override {
    uncreated = std::string(alias.alias);
    return NotFound(uncreated + " has no key yet");
  }
  std::string uncreated;

 private:
  kms::KeyCatalog& catalog_;
};

// A key reference resolved as a caller in `account` would have it resolved.
struct Resolved {
  KeyPtr key;             // null when it does not resolve
  std::string uncreated;  // the AWS managed alias whose key KMS creates on first use
  std::string error;      // KMS's message otherwise
};

Resolved ResolveIn(kms::KeyCatalog& catalog, const std::string& account, const std::string& region,
                   const std::string& reference) {
  CatalogDirectory directory(catalog);
  Resolved out;
  auto r = core::kms::Resolve(directory, account, region, reference, {});
  if (r.ok()) {
    out.key = r->key;
  } else {
    out.uncreated = directory.uncreated;
    out.error = r.status().message();
  }
  return out;
}

KeyPtr KeyByArn(kms::KeyCatalog& catalog, const std::string& arn) {
  auto a = core::Arn::Parse(arn);
  if (!a.ok() || a->service != "kms" || a->ResourceType() != "key") return nullptr;
  return catalog.FindKey(a->account, a->region, std::string(a->ResourceId()));
}

// Whether `account` (its root, so its IAM principals) may decrypt under the
// key: the audit's reading of the key policy, and never for a key that cannot
// be used (disabled, pending deletion) or another account's AWS managed key.
std::optional<bool> AccountCanDecrypt(const KeyPtr& key, const std::string& account) {
  if (!key) return std::nullopt;
  if (key->manager == "AWS" && key->account != account) return false;
  if (key->state != core::kms::KeyState::kEnabled) return false;
  if (!key->parsed_policy) return std::nullopt;
  return audit::PolicyLetsAccountDecrypt(*key->parsed_policy, account);
}

const char* YesNo(std::optional<bool> v) { return !v ? "unknown" : *v ? "yes" : "no"; }

// --- State ------------------------------------------------------------------

// Everything but objects and events, read once per call.
struct State {
  std::vector<s3::BucketSummary> buckets;
  std::vector<IamUser> users;
  std::vector<IamRole> roles;
  std::vector<dynamodb::TableSummary> tables;
  std::vector<sm::SecretSummary> secrets;
  std::vector<KeyPtr> keys;                                 // by account, customer keys first, by alias
  std::map<std::string, std::vector<std::string>> aliases;  // key ARN → alias names, in order
  std::set<std::string> accounts;

  const std::vector<std::string>& AliasesOf(const std::string& arn) const {
    static const std::vector<std::string> kNone;
    auto it = aliases.find(arn);
    return it == aliases.end() ? kNone : it->second;
  }
};

// The keys of every region something lives in, with their aliases.
void LoadKeys(kms::KeyCatalog& catalog, const std::set<std::string>& regions, State& s) {
  std::set<std::pair<std::string, std::string>> key_owners;
  for (const std::string& region : regions) {
    for (KeyPtr& k : catalog.AllKeys(region)) {
      key_owners.insert({k->account, k->region});
      s.keys.push_back(std::move(k));
    }
  }
  for (const auto& [account, region] : key_owners)
    for (const auto& alias : catalog.ListAliases(account, region))
      s.aliases[core::kms::KeyArn(region, account, alias.target_key_id)].push_back(alias.name);
  auto order = [&](const KeyPtr& k) {
    const auto& names = s.AliasesOf(k->arn);
    return std::make_tuple(k->account, k->manager != "CUSTOMER", names.empty(), names.empty() ? "" : names.front(),
                           k->region, k->id);
  };
  std::sort(s.keys.begin(), s.keys.end(), [&](const KeyPtr& a, const KeyPtr& b) { return order(a) < order(b); });
}

Result<State> Load(ConsoleSources& src) {
  State s;
  CK_ASSIGN_OR_RETURN(s.buckets, s3::AllBuckets(src.store));
  CK_ASSIGN_OR_RETURN(s.users, src.identities.ListUsers(""));
  CK_ASSIGN_OR_RETURN(s.roles, src.identities.ListRoles(""));
  CK_ASSIGN_OR_RETURN(s.tables, dynamodb::AllTables(src.store));
  CK_ASSIGN_OR_RETURN(s.secrets, sm::AllSecrets(src.store));
  std::set<std::string> regions = {src.region};
  for (const auto& b : s.buckets) regions.insert(b.region);
  for (const auto& t : s.tables) regions.insert(t.region);
  for (const auto& x : s.secrets) regions.insert(x.region);
  LoadKeys(src.keys, regions, s);
  for (const auto& k : s.keys) s.accounts.insert(k->account);
  for (const auto& b : s.buckets) s.accounts.insert(b.owner);
  for (const auto& u : s.users) s.accounts.insert(u.account);
  for (const auto& r : s.roles) s.accounts.insert(r.account);
  for (const auto& t : s.tables) s.accounts.insert(t.account);
  for (const auto& x : s.secrets) s.accounts.insert(x.account);
  s.accounts.erase("");
  return s;
}

const s3::BucketSummary* FindBucket(const State& s, const std::string& name) {
  for (const auto& b : s.buckets)
    if (b.name == name) return &b;
  return nullptr;
}

// --- Buckets ----------------------------------------------------------------

struct WriterView {
  audit::Writer writer;
  audit::WriterMode mode = audit::WriterMode::kUnknown;
  std::string resolves_to;  // the key the writer's objects land under, when known
};

struct BucketView {
  const s3::BucketSummary* bucket = nullptr;
  bool configured = false;  // PutBucketEncryption was called (else S3's default, SSE-S3)
  audit::BucketDefault default_encryption;
  std::string owner_key_arn, owner_note;
  std::vector<WriterView> writers;
};

bool BadMode(audit::WriterMode m) {
  return m == audit::WriterMode::kPutFails || m == audit::WriterMode::kWriterKeySilently ||
         m == audit::WriterMode::kWriterManagedKey;
}

// The owner's intended key: the default's reference resolved in the owner's
// account (aws:kms without a key: the owner's aws/s3).
void ResolveForOwner(kms::KeyCatalog& catalog, BucketView& v) {
  const s3::BucketSummary& b = *v.bucket;
  const audit::BucketDefault& d = v.default_encryption;
  if (!d.kms()) {
    v.owner_note = "SSE-S3: S3's own keys";
    return;
  }
  Resolved r = ResolveIn(catalog, b.owner, b.region, d.key_ref.empty() ? "alias/aws/s3" : d.key_ref);
  if (r.key) {
    v.owner_key_arn = r.key->arn;
    v.owner_note = r.key->account == b.owner ? "a key of the owner's account"
                                             : "a key of account " + r.key->account + ", named by ARN";
  } else if (!r.uncreated.empty()) {
    v.owner_note = r.uncreated + " has no key yet: KMS creates the owner's AWS managed key on first use";
  } else {
    v.owner_note = "does not resolve in the owner's account: " + r.error;
  }
}

// What the default resolves to for one writer the policy admits, and so its mode.
WriterView ResolveForWriter(kms::KeyCatalog& catalog, const BucketView& v, audit::Writer w) {
  const audit::BucketDefault& d = v.default_encryption;
  audit::RefKind kind = audit::ClassifyRef(d.key_ref);
  WriterView wv;
  audit::Resolves there = audit::Resolves::kUnknown;
  if (d.kms() && audit::Qualified(kind)) {
    wv.resolves_to = v.owner_key_arn;
  } else if (d.kms() && !w.account.empty()) {
    Resolved r = ResolveIn(catalog, w.account, v.bucket->region,
                           kind == audit::RefKind::kNone ? "alias/aws/s3" : d.key_ref);
    if (r.key) wv.resolves_to = r.key->arn;
    if (kind != audit::RefKind::kNone)
      there = r.key || !r.uncreated.empty() ? audit::Resolves::kToKey : audit::Resolves::kMissing;
  }
  wv.mode = audit::ModeForWriter(d, there);
  wv.writer = std::move(w);
  return wv;
}

BucketView Analyze(kms::KeyCatalog& catalog, const s3::BucketSummary& b) {
  BucketView v;
  v.bucket = &b;
  audit::BucketDefault& d = v.default_encryption;
  if (b.encryption && !b.encryption->rules.empty()) {
    const auto& rule = b.encryption->rules.front();
    if (const auto& by_default = rule.apply_server_side_encryption_by_default) {
      v.configured = true;
      d.algorithm = std::string(by_default->sse_algorithm.str());
      d.key_ref = by_default->kms_master_key_id.value_or("");
    }
    d.bucket_key = rule.bucket_key_enabled.value_or(false);
  }
  ResolveForOwner(catalog, v);
  if (!b.policy) return v;
  auto policy = core::iam::ParsePolicy(*b.policy, core::iam::PolicyKind::kResource);
  if (!policy.ok()) return v;
  for (audit::Writer& w : audit::ForeignWriters(*policy, b.owner))
    v.writers.push_back(ResolveForWriter(catalog, v, std::move(w)));
  return v;
}

// One object judged as the audit judges it.
struct ObjectView {
  audit::ObjectFacts facts;
  std::optional<audit::Finding> finding;
  std::string key_account;
  std::optional<bool> owner_can_decrypt;
};

ObjectView Judge(kms::KeyCatalog& catalog, const BucketView& bv, const s3::ObjectSummary& o,
                 std::map<std::string, KeyPtr>& key_cache) {
  ObjectView v;
  audit::ObjectFacts& f = v.facts;
  f.key = o.key;
  f.version_id = o.version_id;
  f.size = o.size;
  f.sse_c = o.sse == "SSE-C";
  f.sse = f.sse_c ? "" : o.sse;
  f.kms_key_arn = o.kms_key_arn;
  const std::string& owner = bv.bucket->owner;
  KeyPtr key;
  if (!f.kms_key_arn.empty()) {
    auto [it, fresh] = key_cache.try_emplace(f.kms_key_arn);
    if (fresh) it->second = KeyByArn(catalog, f.kms_key_arn);
    key = it->second;
    v.key_account = audit::AccountOf(f.kms_key_arn);
  }
  audit::KeyFacts kf;
  kf.arn = f.kms_key_arn;
  kf.account = v.key_account;
  if (key) kf.aws_managed = key->manager == "AWS";
  kf.owner_can_decrypt = AccountCanDecrypt(key, owner);
  v.finding = audit::Classify(f, bv.default_encryption, owner, bv.owner_key_arn, key ? &kf : nullptr);
  if (v.finding)
    v.owner_can_decrypt = v.finding->owner_can_decrypt;
  else if (!f.kms_key_arn.empty())
    v.owner_can_decrypt = kf.owner_can_decrypt;
  else
    v.owner_can_decrypt = true;  // SSE-S3 or none: S3's own keys
  return v;
}

bool Foreign(const std::optional<audit::Finding>& f) {
  return f && (f->kind == audit::FindingKind::kForeignCustomerKey || f->kind == audit::FindingKind::kForeignManagedKey ||
               f->kind == audit::FindingKind::kForeignKey);
}

// The bucket's analysis with its objects (the first kMaxObjects).
struct BucketWithObjects {
  BucketView view;
  s3::ObjectSummaryPage page;
  size_t mismatches = 0;
};

Result<BucketWithObjects> Examine(ConsoleSources& src, const s3::BucketSummary& b, size_t limit) {
  BucketWithObjects out;
  out.view = Analyze(src.keys, b);
  CK_ASSIGN_OR_RETURN(out.page, s3::CurrentObjects(src.store, b.name, limit));
  std::map<std::string, KeyPtr> cache;
  for (const auto& o : out.page.objects) out.mismatches += Foreign(Judge(src.keys, out.view, o, cache).finding);
  return out;
}

json BucketJson(const BucketWithObjects& x) {
  const BucketView& v = x.view;
  const s3::BucketSummary& b = *v.bucket;
  const audit::BucketDefault& d = v.default_encryption;
  json writers = json::array();
  for (const WriterView& w : v.writers) {
    writers.push_back({{"principal", w.writer.principal},
                       {"account", w.writer.account},
                       {"mode", audit::WriterModeName(w.mode)},
                       {"resolves_to", w.resolves_to},
                       {"explanation", audit::ExplainWriterMode(w.mode, d.key_ref, w.writer.account)}});
  }
  return {{"name", b.name},
          {"owner", b.owner},
          {"region", b.region},
          {"default_encryption",
           {{"configured", v.configured},
            {"algorithm", d.algorithm},
            {"kms_master_key_id", d.key_ref},
            {"reference_kind", d.kms() ? audit::RefKindName(audit::ClassifyRef(d.key_ref)) : ""},
            {"bucket_key_enabled", d.bucket_key}}},
          {"owner_resolution",
           {{"key_arn", v.owner_key_arn}, {"key_account", audit::AccountOf(v.owner_key_arn)}, {"note", v.owner_note}}},
          {"writers", std::move(writers)},
          {"mismatches", x.mismatches},
          {"objects_truncated", x.page.truncated}};
}

// --- Map --------------------------------------------------------------------

json Edge(std::string from, std::string to, const char* kind, bool mismatch, std::string label) {
  return {{"from", std::move(from)}, {"to", std::move(to)}, {"kind", kind}, {"mismatch", mismatch},
          {"label", std::move(label)}};
}

// bucket → each key its objects are under (and the key its default names for
// the owner); writer account → bucket, one edge per account.
void BucketEdges(const BucketWithObjects& x, json& edges, std::set<std::string>& accounts) {
  const s3::BucketSummary& b = *x.view.bucket;
  std::map<std::string, size_t> per_key;
  for (const auto& o : x.page.objects)
    if (!o.kms_key_arn.empty()) ++per_key[o.kms_key_arn];
  if (!x.view.owner_key_arn.empty()) per_key.try_emplace(x.view.owner_key_arn, 0);
  for (const auto& [arn, n] : per_key) {
    std::string label = arn == x.view.owner_key_arn ? "default encryption" : "";
    if (n) {
      label += (label.empty() ? "" : " · ") + std::to_string(n) + (n == 1 ? " object" : " objects");
      if (x.page.truncated) label += " (of the first " + std::to_string(x.page.objects.size()) + ")";
    }
    edges.push_back(Edge("bucket:" + b.name, "key:" + arn, "encrypts-with", audit::AccountOf(arn) != b.owner, label));
  }
  std::map<std::string, std::vector<const WriterView*>> by_account;
  for (const WriterView& w : x.view.writers)
    if (!w.writer.account.empty()) by_account[w.writer.account].push_back(&w);
  for (const auto& [account, ws] : by_account) {
    accounts.insert(account);
    std::string label = "may write";
    bool bad = false;
    for (const WriterView* w : ws) {
      label += std::string(w == ws.front() ? ": " : ", ") + w->writer.principal + " (" +
               std::string(audit::WriterModeName(w->mode)) + ")";
      bad = bad || BadMode(w->mode);
    }
    edges.push_back(Edge("account:" + account, "bucket:" + b.name, "may-write", bad, label));
  }
}

// table → its KMS key; secret → the key of its current version.
void TableAndSecretEdges(ConsoleSources& src, const State& s, json& edges) {
  for (const auto& t : s.tables) {
    if (t.kms_key_arn.empty()) continue;  // the AWS owned key: no key of any account
    edges.push_back(Edge("table:" + t.arn, "key:" + t.kms_key_arn, "encrypts-with",
                         audit::AccountOf(t.kms_key_arn) != t.account, "table key"));
  }
  for (const auto& x : s.secrets) {
    std::string arn = x.current_key_arn;
    if (arn.empty()) {  // no version yet: the key its KmsKeyId names
      Resolved r = ResolveIn(src.keys, x.account, x.region,
                             x.kms_key_id.empty() ? "alias/aws/secretsmanager" : x.kms_key_id);
      if (r.key) arn = r.key->arn;
    }
    if (arn.empty()) continue;
    edges.push_back(Edge("secret:" + x.arn, "key:" + arn, "encrypts-with", audit::AccountOf(arn) != x.account,
                         x.kms_key_id.empty() ? "aws/secretsmanager" : x.kms_key_id));
  }
}

json MapAccount(const State& s, const std::string& id) {
  json keys = json::array(), buckets = json::array(), tables = json::array(), secrets = json::array();
  for (const KeyPtr& k : s.keys)
    if (k->account == id)
      keys.push_back({{"arn", k->arn}, {"key_id", k->id}, {"aliases", s.AliasesOf(k->arn)}, {"manager", k->manager}});
  for (const auto& b : s.buckets)
    if (b.owner == id) buckets.push_back({{"name", b.name}});
  for (const auto& t : s.tables)
    if (t.account == id) tables.push_back({{"name", t.name}, {"arn", t.arn}});
  for (const auto& x : s.secrets)
    if (x.account == id) secrets.push_back({{"name", x.name}, {"arn", x.arn}});
  return {{"id", id}, {"keys", std::move(keys)}, {"buckets", std::move(buckets)}, {"tables", std::move(tables)},
          {"secrets", std::move(secrets)}};
}

// --- Events -----------------------------------------------------------------

TrailRecord ParseTrail(const api::cloudtrail::Event& e) {
  TrailRecord r;
  Document d = Document::parse(e.cloud_trail_event.value_or(""), nullptr, /*allow_exceptions=*/false);
  if (d.is_object()) (void)FromDocument(d, &r, DecodeOptions{.strict = false});
  return r;
}

json EventJson(const TrailRecord& r) {
  std::string key_arn;
  for (const TrailResource& res : r.resources)
    if (key_arn.empty() && res.type == "AWS::KMS::Key") key_arn = res.arn;
  return {{"event_id", r.event_id},
          {"time", r.event_time},
          {"source", r.event_source},
          {"name", r.event_name},
          {"recipient_account", r.recipient_account},
          {"user_arn", r.user_identity.arn},
          {"invoked_by", r.user_identity.invoked_by},
          {"key_arn", key_arn},
          {"shared_event_id", r.shared_event_id},
          {"request_id", r.request_id},
          {"error_code", r.error_code},
          {"error_message", r.error_message}};
}

// The newest events delivered to `account`, at most `max`.
Result<std::vector<TrailRecord>> Recent(cloudtrail::EventRecorder& recorder, const std::string& account, size_t max) {
  std::vector<TrailRecord> out;
  cloudtrail::LookupQuery q;
  q.max_results = 50;
  while (out.size() < max) {
    CK_ASSIGN_OR_RETURN(auto page, recorder.Lookup(account, q));
    for (const auto& e : page.events)
      if (out.size() < max) out.push_back(ParseTrail(e));
    if (page.next_token.empty()) break;
    q.next_token = page.next_token;
  }
  return out;
}

bool IsAccountId(const std::string& s) {
  return s.size() == 12 && s.find_first_not_of("0123456789") == std::string::npos;
}

}  // namespace

// --- Pages --------------------------------------------------------------------

Result<json> LiveConsoleData::Accounts() {
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  json accounts = json::array();
  for (const std::string& id : s.accounts) {
    json keys = json::array(), roles = json::array(), users = json::array(), buckets = json::array();
    for (const KeyPtr& k : s.keys) {
      if (k->account != id) continue;
      keys.push_back({{"arn", k->arn},
                      {"key_id", k->id},
                      {"region", k->region},
                      {"aliases", s.AliasesOf(k->arn)},
                      {"manager", k->manager},
                      {"state", core::kms::KeyStateName(k->state)},
                      {"spec", k->spec},
                      {"usage", k->usage},
                      {"description", k->description}});
    }
    for (const IamRole& r : s.roles)
      if (r.account == id) roles.push_back({{"arn", r.arn}, {"name", r.name}});
    for (const IamUser& u : s.users)
      if (u.account == id) users.push_back({{"arn", u.arn}, {"name", u.name}});
    for (const auto& b : s.buckets)
      if (b.owner == id) buckets.push_back(b.name);
    accounts.push_back({{"id", id},
                        {"keys", std::move(keys)},
                        {"roles", std::move(roles)},
                        {"users", std::move(users)},
                        {"buckets", std::move(buckets)}});
  }
  return json{{"accounts", std::move(accounts)}};
}

Result<json> LiveConsoleData::Buckets() {
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  json out = json::array();
  for (const auto& b : s.buckets) {
    CK_ASSIGN_OR_RETURN(auto x, Examine(src_, b, kMaxObjects));
    out.push_back(BucketJson(x));
  }
  return json{{"buckets", std::move(out)}};
}

Result<json> LiveConsoleData::Bucket(const std::string& name) {
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  const s3::BucketSummary* b = FindBucket(s, name);
  if (!b) return NotFound("no such bucket: " + name);
  CK_ASSIGN_OR_RETURN(auto x, Examine(src_, *b, kMaxObjects));
  return BucketJson(x);
}

Result<json> LiveConsoleData::Objects(const std::string& bucket, bool only_findings) {
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  const s3::BucketSummary* b = FindBucket(s, bucket);
  if (!b) return NotFound("no such bucket: " + bucket);
  BucketView v = Analyze(src_.keys, *b);
  CK_ASSIGN_OR_RETURN(auto page, s3::CurrentObjects(src_.store, b->name, kMaxObjects));
  std::map<std::string, KeyPtr> cache;
  json out = json::array();
  for (const auto& o : page.objects) {
    ObjectView ov = Judge(src_.keys, v, o, cache);
    if (only_findings && !ov.finding) continue;
    out.push_back({{"key", o.key},
                   {"version_id", o.version_id},
                   {"size", o.size},
                   {"last_modified", FormatIso8601(FromEpochSeconds(o.mtime))},
                   {"sse", o.sse},
                   {"key_arn", o.kms_key_arn},
                   {"key_account", ov.key_account},
                   {"writer", o.writer},
                   {"request_id", o.request_id},
                   {"finding", ov.finding ? json(audit::FindingName(ov.finding->kind)) : json(nullptr)},
                   {"owner_can_decrypt", YesNo(ov.owner_can_decrypt)}});
  }
  return json{{"objects", std::move(out)}, {"truncated", page.truncated}};
}

Result<json> LiveConsoleData::Map() {
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  json edges = json::array();
  std::set<std::string> accounts = s.accounts;  // and every account a bucket policy lets write
  for (const auto& b : s.buckets) {
    CK_ASSIGN_OR_RETURN(auto x, Examine(src_, b, kMaxObjects));
    BucketEdges(x, edges, accounts);
  }
  TableAndSecretEdges(src_, s, edges);
  json out = json::array();
  for (const std::string& id : accounts) out.push_back(MapAccount(s, id));
  return json{{"accounts", std::move(out)}, {"edges", std::move(edges)}};
}

Result<json> LiveConsoleData::AccountEvents(const std::string& account) {
  if (!IsAccountId(account)) return InvalidArgument("account must be a 12-digit account id");
  CK_ASSIGN_OR_RETURN(auto events, Recent(src_.events, account, kMaxEvents));
  json out = json::array();
  for (const auto& e : events) out.push_back(EventJson(e));
  return json{{"events", std::move(out)}};
}

Result<json> LiveConsoleData::SharedEvents(const std::string& shared_event_id) {
  if (shared_event_id.empty()) return InvalidArgument("shared_event_id is empty");
  CK_ASSIGN_OR_RETURN(State s, Load(src_));
  json out = json::array();
  for (const std::string& account : s.accounts) {
    CK_ASSIGN_OR_RETURN(auto events, Recent(src_.events, account, kMaxEventsSearched));
    for (const auto& e : events)
      if (e.shared_event_id == shared_event_id) out.push_back(EventJson(e));
  }
  return json{{"events", std::move(out)}};
}

Result<json> LiveConsoleData::Get(const std::string& path, const http::RequestHead& head) {
  if (path == "accounts") return Accounts();
  if (path == "buckets") return Buckets();
  if (path == "map") return Map();
  if (path == "events") {
    if (auto shared = head.QueryValue("shared_event_id")) return SharedEvents(std::string(*shared));
    if (auto account = head.QueryValue("account")) return AccountEvents(std::string(*account));
    return InvalidArgument("events needs ?account=ID or ?shared_event_id=ID");
  }
  if (path.starts_with("buckets/")) {
    std::string rest = path.substr(8);
    constexpr std::string_view kObjects = "/objects";
    if (rest.ends_with(kObjects)) {
      bool only = head.QueryValue("mismatch").value_or("") == "1";
      return Objects(rest.substr(0, rest.size() - kObjects.size()), only);
    }
    if (!rest.empty() && rest.find('/') == std::string::npos) return Bucket(rest);
  }
  return NotFound("no such console API: /_crosskey/api/" + path);
}

}  // namespace ck::services::console
