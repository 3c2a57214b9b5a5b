#include "tools/audit/audit.h"

#include "api/cloudtrail.h"
#include "api/kms.h"
#include "api/s3.h"

namespace ck::tools::audit {

namespace {

bool IsNotFound(const Status& s) { return s.code() == Code::kNotFound; }

}  // namespace

Auditor::Auditor(std::shared_ptr<client::Session> owner, std::map<std::string, std::shared_ptr<client::Session>> views,
                 AuditOptions options)
    : owner_(std::move(owner)), views_(std::move(views)), options_(std::move(options)) {}

client::Session* Auditor::ViewOf(const std::string& account) {
  auto it = views_.find(account);
  return it == views_.end() ? nullptr : it->second.get();
}

Status Auditor::LoadOwner() {
  if (!owner_account_.empty()) return Status::Ok();
  CK_ASSIGN_OR_RETURN(auto who, owner_->WhoAmI());
  owner_account_ = who.first;
  return Status::Ok();
}

Result<std::vector<BucketReport>> Auditor::Run() {
  CK_RETURN_IF_ERROR(LoadOwner());
  std::vector<std::string> buckets = options_.buckets;
  if (buckets.empty()) {
    CK_ASSIGN_OR_RETURN(auto list, owner_->Client("s3").Call<api::s3::ops::ListBuckets>({}));
    for (const auto& b : list.buckets.value_or(std::vector<api::s3::Bucket>{})) buckets.push_back(b.name.value_or(""));
  }
  std::vector<BucketReport> out;
  for (const std::string& b : buckets) {
    auto r = AuditBucket(b);
    if (r.ok()) {
      out.push_back(std::move(*r));
    } else {
      BucketReport failed;
      failed.bucket = b;
      failed.owner_account = owner_account_;
      failed.error = r.status().aws_code().empty() ? r.status().message()
                                                   : r.status().aws_code() + ": " + r.status().message();
      out.push_back(std::move(failed));
    }
  }
  return out;
}

Result<BucketDefault> Auditor::Encryption(const std::string& bucket) {
  BucketDefault d;
  auto enc = owner_->Client("s3").Call<api::s3::ops::GetBucketEncryption>({.bucket = bucket});
  if (!enc.ok()) {
    // Buckets never configured answer this (older S3) or AES256 (today).
    if (enc.status().aws_code() == "ServerSideEncryptionConfigurationNotFoundError") return d;
    return enc.status();
  }
  if (!enc->server_side_encryption_configuration) return d;
  for (const auto& rule : enc->server_side_encryption_configuration->rules) {
    if (!rule.apply_server_side_encryption_by_default) continue;
    d.algorithm = std::string(rule.apply_server_side_encryption_by_default->sse_algorithm.str());
    d.key_ref = rule.apply_server_side_encryption_by_default->kms_master_key_id.value_or("");
    d.bucket_key = rule.bucket_key_enabled.value_or(false);
  }
  return d;
}

// How `ref` resolves in the account of session `s` (what S3 would do for a
// writer there). For no reference: that account's aws/s3 key, if it exists.
Result<std::string> Auditor::ResolveIn(client::Session& s, const std::string& ref, Resolves* how) {
  auto& kms = s.Client("kms");
  if (ref.empty()) {
    // ListAliases does not create the key, unlike DescribeKey on alias/aws/s3.
    api::kms::ListAliasesRequest in;
    for (;;) {
      CK_ASSIGN_OR_RETURN(auto page, kms.Call<api::kms::ops::ListAliases>(in));
      for (const auto& a : page.aliases.value_or(std::vector<api::kms::AliasListEntry>{}))
        if (a.alias_name == "alias/aws/s3" && a.target_key_id) {
          *how = Resolves::kToKey;
          auto arn = a.alias_arn.value_or("");
          return arn.substr(0, arn.find(":alias/")) + ":key/" + *a.target_key_id;
        }
      if (!page.truncated.value_or(false) || !page.next_marker) break;
      in.marker = page.next_marker;
    }
    *how = Resolves::kMissing;
    return std::string();
  }
  auto d = kms.Call<api::kms::ops::DescribeKey>({.key_id = ref});
  if (d.ok() && d->key_metadata) {
    *how = Resolves::kToKey;
    return d->key_metadata->arn.value_or("");
  }
  *how = !d.ok() && IsNotFound(d.status()) ? Resolves::kMissing : Resolves::kUnknown;
  return d.ok() ? std::string() : d.status().message();
}

void Auditor::ResolveForOwner(BucketReport& r) {
  if (!r.encryption.kms()) {
    r.owner_note = "SSE-S3: no KMS key";
    return;
  }
  Resolves how = Resolves::kUnknown;
  auto key = ResolveIn(*owner_, r.encryption.key_ref, &how);
  if (how == Resolves::kToKey && key.ok()) {
    r.intended_key = *key;
    r.owner_note = "resolves for the owner to " + *key;
  } else if (r.encryption.key_ref.empty()) {
    r.owner_note = "the owner's aws/s3 key (not created yet)";
  } else {
    r.owner_note = "does not resolve for the owner: " + (key.ok() ? *key : key.status().message());
  }
}

void Auditor::AnalyseWriters(BucketReport& r) {
  auto policy = owner_->Client("s3").Call<api::s3::ops::GetBucketPolicy>({.bucket = r.bucket});
  if (!policy.ok() || !policy->policy) return;  // no bucket policy: no other account may write
  auto parsed = core::iam::ParsePolicy(*policy->policy, core::iam::PolicyKind::kResource);
  if (!parsed.ok()) return;
  for (Writer& w : ForeignWriters(*parsed, r.owner_account)) {
    WriterReport wr;
    wr.writer = std::move(w);
    if (client::Session* view = ViewOf(wr.writer.account);
        view && r.encryption.kms() && !Qualified(r.ref_kind)) {
      auto key = ResolveIn(*view, r.encryption.key_ref, &wr.resolves);
      if (wr.resolves == Resolves::kToKey && key.ok()) wr.resolved_key = *key;
    }
    wr.mode = ModeForWriter(r.encryption, wr.resolves);
    wr.explanation = ExplainWriterMode(wr.mode, r.encryption.key_ref, wr.writer.account);
    r.writers.push_back(std::move(wr));
  }
}

KeyFacts Auditor::FactsOf(const std::string& key_arn) {
  if (auto it = key_facts_.find(key_arn); it != key_facts_.end()) return it->second;
  KeyFacts f;
  f.arn = key_arn;
  f.account = AccountOf(key_arn);
  // Look from the key's own account when we can; else try as the owner
  // (DescribeKey works across accounts when the key policy shares it).
  client::Session* view = ViewOf(f.account);
  client::Session& s = view ? *view : *owner_;
  auto& kms = s.Client("kms");
  if (auto d = kms.Call<api::kms::ops::DescribeKey>({.key_id = key_arn}); d.ok() && d->key_metadata)
    if (d->key_metadata->key_manager) f.aws_managed = *d->key_metadata->key_manager == api::kms::KeyManagerType::kAws;
  if (auto p = kms.Call<api::kms::ops::GetKeyPolicy>({.key_id = key_arn, .policy_name = "default"});
      p.ok() && p->policy) {
    if (auto parsed = core::iam::ParsePolicy(*p->policy, core::iam::PolicyKind::kKeyPolicy); parsed.ok())
      f.owner_can_decrypt = PolicyLetsAccountDecrypt(*parsed, owner_account_);
  }
  key_facts_[key_arn] = f;
  return f;
}

// The principals that wrote objects of `bucket`, from the GenerateDataKey
// events in `account`'s CloudTrail (S3 asks KMS as the writer, so the event
// lands in the writer's account with the object ARN as encryption context).
std::map<std::string, std::string> Auditor::WritersFromTrail(const std::string& account, const std::string& bucket) {
  std::map<std::string, std::string> out;
  client::Session* view = ViewOf(account);
  if (!view) return out;
  api::cloudtrail::LookupEventsRequest in;
  api::cloudtrail::LookupAttribute attr;
  attr.attribute_key = api::cloudtrail::LookupAttributeKey::kEventName;
  attr.attribute_value = "GenerateDataKey";
  in.lookup_attributes = std::vector<api::cloudtrail::LookupAttribute>{attr};
  const std::string prefix = "arn:aws:s3:::" + bucket + "/";
  for (int pages = 0; pages < 10000; ++pages) {
    auto page = view->Client("cloudtrail").Call<api::cloudtrail::ops::LookupEvents>(in);
    if (!page.ok()) break;
    for (const auto& e : page->events.value_or(std::vector<api::cloudtrail::Event>{})) {
      Document event = Document::parse(e.cloud_trail_event.value_or("{}"), nullptr, false);
      if (!event.is_object()) continue;
      // A CloudTrail record is AWS's free-form JSON; these are its documented fields.
      std::string object_arn = event["requestParameters"]["encryptionContext"].value("aws:s3:arn", "");
      std::string writer = event["userIdentity"].value("arn", "");
      if (object_arn.rfind(prefix, 0) == 0 && !writer.empty()) out.emplace(object_arn.substr(prefix.size()), writer);
    }
    if (!page->next_token) break;
    in.next_token = page->next_token;
  }
  return out;
}

Result<BucketReport> Auditor::AuditBucket(const std::string& bucket) {
  CK_RETURN_IF_ERROR(LoadOwner());
  BucketReport r;
  r.bucket = bucket;
  r.owner_account = owner_account_;
  auto location = owner_->Client("s3").Call<api::s3::ops::GetBucketLocation>({.bucket = bucket});
  if (!location.ok()) return location.status();
  r.region = location->location_constraint ? std::string(location->location_constraint->str()) : "";
  if (r.region.empty()) r.region = "us-east-1";
  CK_ASSIGN_OR_RETURN(r.encryption, Encryption(bucket));
  r.ref_kind = ClassifyRef(r.encryption.key_ref);
  ResolveForOwner(r);
  AnalyseWriters(r);

  ObjectScanner scanner(owner_->Client("s3"), options_.scan);
  const std::string owner = owner_account_;
  bool kms_default = r.encryption.kms();
  CK_ASSIGN_OR_RETURN(ScanResult scan, scanner.Scan(bucket, [&](const ObjectFacts& o) {
    if (o.sse_c) return true;
    if (o.sse == "aws:kms" || o.sse == "aws:kms:dsse") return AccountOf(o.kms_key_arn) != owner;
    return kms_default;
  }));
  r.versions_scanned = scan.scanned;
  std::map<std::string, std::map<std::string, std::string>> trails;  // account → object key → writer
  for (const ObjectFacts& o : scan.selected) {
    KeyFacts facts;
    const KeyFacts* key = nullptr;
    if (!o.kms_key_arn.empty()) {
      facts = FactsOf(o.kms_key_arn);
      key = &facts;
    }
    auto finding = Classify(o, r.encryption, owner, r.intended_key, key);
    if (!finding) continue;
    ObjectFinding f{o, *finding, ""};
    if (!finding->key_account.empty()) {
      auto [it, fresh] = trails.try_emplace(finding->key_account);
      if (fresh) it->second = WritersFromTrail(finding->key_account, bucket);
      auto w = it->second.find(o.key);
      f.writer = w != it->second.end() ? w->second : "account " + finding->key_account + " (the key's account)";
    }
    r.findings.push_back(std::move(f));
  }
  return r;
}

}  // namespace ck::tools::audit
