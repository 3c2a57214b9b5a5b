#include "tools/audit/report.h"

#include <cstdio>

#include <nlohmann/json.hpp>

namespace ck::tools::audit {

using nlohmann::json;

namespace {

std::string Decrypt(const std::optional<bool>& v) { return !v ? "unknown" : *v ? "yes" : "no"; }

bool BadWriter(const WriterReport& w) {
  return w.mode == WriterMode::kPutFails || w.mode == WriterMode::kWriterKeySilently ||
         w.mode == WriterMode::kWriterManagedKey || w.mode == WriterMode::kUnknown;
}

std::string Pad(std::string s, size_t width) {
  if (s.size() < width) s.append(width - s.size(), ' ');
  return s;
}

void TextBucket(const BucketReport& r, std::string* out) {
  *out += r.bucket + " (account " + r.owner_account + (r.region.empty() ? "" : ", " + r.region) + ")\n";
  if (!r.error.empty()) {
    *out += "  could not be audited: " + r.error + "\n\n";
    return;
  }
  *out += "  default encryption: " + r.encryption.algorithm;
  if (r.encryption.kms())
    *out += ", KMSMasterKeyID " + (r.encryption.key_ref.empty() ? std::string("(none)") : "'" + r.encryption.key_ref + "'") +
            " — " + std::string(RefKindName(r.ref_kind));
  *out += r.encryption.bucket_key ? ", bucket key on\n" : "\n";
  *out += "  for the owner: " + r.owner_note + "\n";
  if (r.writers.empty()) *out += "  writers from other accounts: none admitted by the bucket policy\n";
  for (const WriterReport& w : r.writers)
    *out += "  writer " + w.writer.principal + ": " + std::string(WriterModeName(w.mode)) + " — " + w.explanation + "\n";
  *out += "  objects: " + std::to_string(r.versions_scanned) + " versions checked, " +
          std::to_string(r.findings.size()) + " finding(s)\n";
  if (r.findings.empty()) return out->append("\n"), void();
  *out += "    " + Pad("KEY", 24) + Pad("FINDING", 28) + Pad("OWNER CAN DECRYPT", 19) + Pad("SIZE", 10) + "KEY ARN / WRITER\n";
  for (const ObjectFinding& f : r.findings) {
    std::string key = f.object.key + (f.object.version_id != "null" ? "?versionId=" + f.object.version_id : "");
    *out += "    " + Pad(key, 24) + Pad(std::string(FindingName(f.finding.kind)), 28) +
            Pad(Decrypt(f.finding.owner_can_decrypt), 19) + Pad(std::to_string(f.object.size), 10) +
            (f.finding.key_arn.empty() ? "-" : f.finding.key_arn) + (f.writer.empty() ? "" : "  written by " + f.writer) +
            "\n";
  }
  *out += "\n";
}

json JsonOf(const BucketReport& r) {
  json b = {{"bucket", r.bucket}, {"owner_account", r.owner_account}, {"region", r.region}};
  if (!r.error.empty()) {
    b["error"] = r.error;
    return b;
  }
  b["default_encryption"] = {{"algorithm", r.encryption.algorithm},
                             {"kms_master_key_id", r.encryption.key_ref},
                             {"reference_kind", RefKindName(r.ref_kind)},
                             {"bucket_key_enabled", r.encryption.bucket_key}};
  b["owner_resolution"] = {{"key_arn", r.intended_key}, {"note", r.owner_note}};
  b["writers"] = json::array();
  for (const WriterReport& w : r.writers)
    b["writers"].push_back({{"principal", w.writer.principal},
                            {"account", w.writer.account},
                            {"mode", WriterModeName(w.mode)},
                            {"resolves_to", w.resolved_key},
                            {"explanation", w.explanation}});
  b["versions_scanned"] = r.versions_scanned;
  b["findings"] = json::array();
  for (const ObjectFinding& f : r.findings) {
    json j = {{"key", f.object.key},       {"version_id", f.object.version_id}, {"latest", f.object.latest},
              {"size", f.object.size},     {"finding", FindingName(f.finding.kind)},
              {"key_arn", f.finding.key_arn}, {"key_account", f.finding.key_account},
              {"owner_can_decrypt", Decrypt(f.finding.owner_can_decrypt)}, {"fixable", f.finding.fixable},
              {"writer", f.writer}};
    b["findings"].push_back(std::move(j));
  }
  return b;
}

}  // namespace

std::string RenderText(const std::vector<BucketReport>& reports) {
  std::string out;
  for (const auto& r : reports) TextBucket(r, &out);
  return out;
}

std::string RenderJson(const std::vector<BucketReport>& reports) {
  json a = json::array();
  for (const auto& r : reports) a.push_back(JsonOf(r));
  return json{{"buckets", a}}.dump(2) + "\n";
}

std::string RenderSarif(const std::vector<BucketReport>& reports) {
  struct Rule {
    FindingKind kind;
    const char* text;
  };
  const Rule rules[] = {
      {FindingKind::kForeignCustomerKey, "Object encrypted under another account's customer managed KMS key"},
      {FindingKind::kForeignManagedKey, "Object encrypted under another account's AWS managed aws/s3 key"},
      {FindingKind::kForeignKey, "Object encrypted under another account's KMS key"},
      {FindingKind::kSseS3WhereKmsRequired, "Object under SSE-S3 in a bucket whose default is SSE-KMS"},
      {FindingKind::kSseC, "Object under SSE-C (cannot be re-keyed without the customer key)"},
  };
  json rule_list = json::array();
  for (const Rule& r : rules)
    rule_list.push_back({{"id", FindingName(r.kind)}, {"shortDescription", {{"text", r.text}}},
                         {"helpUri", "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-encryption.html"}});
  json results = json::array();
  for (const auto& r : reports)
    for (const ObjectFinding& f : r.findings) {
      std::string uri = "s3://" + r.bucket + "/" + f.object.key;
      results.push_back(
          {{"ruleId", FindingName(f.finding.kind)},
           {"level", f.finding.kind == FindingKind::kSseS3WhereKmsRequired ? "warning" : "error"},
           {"message", {{"text", std::string(FindingName(f.finding.kind)) + ": " + uri +
                                     (f.finding.key_arn.empty() ? "" : " is under " + f.finding.key_arn) +
                                     "; owner can decrypt: " + Decrypt(f.finding.owner_can_decrypt)}}},
           {"locations", json::array({{{"physicalLocation", {{"artifactLocation", {{"uri", uri}}}}}}})}});
    }
  json sarif = {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
                {"version", "2.1.0"},
                {"runs", json::array({{{"tool", {{"driver", {{"name", "crosskey audit"}, {"rules", rule_list}}}}},
                                       {"results", results}}})}};
  return sarif.dump(2) + "\n";
}

std::string Render(const std::vector<BucketReport>& reports, Format format) {
  switch (format) {
    case Format::kText: return RenderText(reports);
    case Format::kJson: return RenderJson(reports);
    case Format::kSarif: return RenderSarif(reports);
  }
  return "";
}

bool HasFindings(const std::vector<BucketReport>& reports) {
  for (const auto& r : reports) {
    if (!r.findings.empty()) return true;
    for (const auto& w : r.writers)
      if (BadWriter(w)) return true;
  }
  return false;
}

}  // namespace ck::tools::audit
