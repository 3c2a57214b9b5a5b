#include "tools/audit/fix.h"

#include <fstream>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "api/s3.h"
#include "base/codec.h"

namespace ck::tools::audit {

namespace s3 = api::s3;
using nlohmann::json;

std::string_view FixOutcomeName(FixOutcome o) {
  switch (o) {
    case FixOutcome::kPlanned: return "would re-encrypt";
    case FixOutcome::kFixed: return "re-encrypted";
    case FixOutcome::kAlreadyDone: return "done in an earlier run";
    case FixOutcome::kUnreadable: return "cannot read, not touched";
    case FixOutcome::kSkipped: return "skipped";
    case FixOutcome::kFailed: return "failed";
    case FixOutcome::kVerifyFailed: return "re-encrypted but not under the target key";
  }
  return "";
}

namespace {

std::string CopySource(const std::string& bucket, const ObjectFacts& o) {
  std::string s = UriEncode(bucket + "/" + o.key, /*encode_slash=*/false);
  if (o.version_id != "null") s += "?versionId=" + UriEncode(o.version_id);
  return s;
}

std::string JournalKey(const std::string& bucket, const std::string& key, const std::string& version) {
  return bucket + '\n' + key + '\n' + version;
}

// Reading the object (to copy it) needs kms:Decrypt on the key it is under.
bool Unreadable(const Status& s) {
  return s.code() == Code::kPermissionDenied || StartsWith(s.aws_code(), "KMS.") ||
         s.aws_code() == "InvalidRequest";  // SSE-C source without its key
}

class Journal {
 public:
  explicit Journal(std::string path) : path_(std::move(path)) {
    if (path_.empty()) return;
    std::ifstream f(path_);
    for (std::string line; std::getline(f, line);) {
      json j = json::parse(line, nullptr, false);
      if (!j.is_object()) continue;  // a torn last line after a crash
      // Journal lines are this tool's own records.
      done_.insert(JournalKey(j.value("bucket", ""), j.value("key", ""), j.value("version_id", "")));
    }
  }
  bool Done(const std::string& bucket, const ObjectFacts& o) {
    std::lock_guard<std::mutex> lock(mu_);
    return done_.count(JournalKey(bucket, o.key, o.version_id)) > 0;
  }
  void Record(const FixResult& r) {
    if (path_.empty()) return;
    std::lock_guard<std::mutex> lock(mu_);
    std::ofstream f(path_, std::ios::app);
    f << json{{"bucket", r.bucket},       {"key", r.key},
              {"version_id", r.version_id}, {"outcome", FixOutcomeName(r.outcome)},
              {"target_key", r.target_key}, {"new_version_id", r.new_version_id},
              {"detail", r.detail}}.dump()
      << "\n";
    f.flush();
  }

 private:
  std::string path_;
  std::mutex mu_;
  std::set<std::string> done_;
};

template <typename T>
void CarryContentHeaders(const s3::HeadObjectOutput& h, T* req) {
  req->cache_control = h.cache_control;
  req->content_disposition = h.content_disposition;
  req->content_encoding = h.content_encoding;
  req->content_language = h.content_language;
  req->content_type = h.content_type;
  req->expires = h.expires;
  req->website_redirect_location = h.website_redirect_location;
  req->metadata = h.metadata;
}

template <typename T>
void CarryStorageAndLock(const s3::HeadObjectOutput& h, T* req) {
  if (h.storage_class) req->storage_class = EnumValue<s3::StorageClass>::Parse(h.storage_class->str());
  req->object_lock_mode = h.object_lock_mode;
  req->object_lock_retain_until_date = h.object_lock_retain_until_date;
  req->object_lock_legal_hold_status = h.object_lock_legal_hold_status;
}

std::optional<EnumValue<s3::ChecksumAlgorithm>> ChecksumOf(const s3::HeadObjectOutput& h) {
  using A = s3::ChecksumAlgorithm;
  if (h.checksum_crc32) return A::kCrc32;
  if (h.checksum_crc32_c) return A::kCrc32c;
  if (h.checksum_crc64_nvme) return A::kCrc64nvme;
  if (h.checksum_sha1) return A::kSha1;
  if (h.checksum_sha256) return A::kSha256;
  return std::nullopt;
}

}  // namespace

Fixer::Fixer(std::shared_ptr<client::Session> owner, FixOptions options)
    : owner_(std::move(owner)), options_(std::move(options)) {}

Result<std::string> Fixer::CopyInPlace(const BucketReport& b, const ObjectFinding& f, const std::string& target) {
  auto& client = owner_->Client("s3");
  s3::HeadObjectRequest hin{.bucket = b.bucket, .key = f.object.key};
  if (f.object.version_id != "null") hin.version_id = f.object.version_id;
  hin.checksum_mode = s3::ChecksumMode::kEnabled;
  CK_ASSIGN_OR_RETURN(s3::HeadObjectOutput head, client.Call<s3::ops::HeadObject>(hin));
  uint64_t size = static_cast<uint64_t>(head.content_length.value_or(0));
  if (size > options_.multipart_threshold) return CopyInParts(b, f, target, size);
  s3::CopyObjectRequest in;
  in.bucket = b.bucket;
  in.key = f.object.key;
  in.copy_source = CopySource(b.bucket, f.object);
  in.copy_source_if_match = head.e_tag;  // never clobber a concurrent overwrite
  in.metadata_directive = s3::MetadataDirective::kCopy;
  in.tagging_directive = s3::TaggingDirective::kCopy;
  in.server_side_encryption = s3::ServerSideEncryption::kAwsKms;
  in.ssekms_key_id = target;
  in.bucket_key_enabled = b.encryption.bucket_key;
  in.checksum_algorithm = ChecksumOf(head);
  CarryStorageAndLock(head, &in);
  CK_ASSIGN_OR_RETURN(auto out, client.Call<s3::ops::CopyObject>(in));
  return out.version_id.value_or("null");
}

Result<std::string> Fixer::CopyInParts(const BucketReport& b, const ObjectFinding& f, const std::string& target,
                                       uint64_t size) {
  auto& client = owner_->Client("s3");
  s3::HeadObjectRequest hin{.bucket = b.bucket, .key = f.object.key};
  if (f.object.version_id != "null") hin.version_id = f.object.version_id;
  CK_ASSIGN_OR_RETURN(s3::HeadObjectOutput head, client.Call<s3::ops::HeadObject>(hin));
  s3::GetObjectTaggingRequest tin{.bucket = b.bucket, .key = f.object.key};
  if (f.object.version_id != "null") tin.version_id = f.object.version_id;
  CK_ASSIGN_OR_RETURN(auto tags, client.Call<s3::ops::GetObjectTagging>(tin));
  s3::CreateMultipartUploadRequest cin;
  cin.bucket = b.bucket;
  cin.key = f.object.key;
  CarryContentHeaders(head, &cin);
  CarryStorageAndLock(head, &cin);
  cin.server_side_encryption = s3::ServerSideEncryption::kAwsKms;
  cin.ssekms_key_id = target;
  cin.bucket_key_enabled = b.encryption.bucket_key;
  std::string tagging;
  for (const auto& t : tags.tag_set) tagging += (tagging.empty() ? "" : "&") + UriEncode(t.key) + "=" + UriEncode(t.value);
  if (!tagging.empty()) cin.tagging = tagging;
  CK_ASSIGN_OR_RETURN(auto upload, client.Call<s3::ops::CreateMultipartUpload>(cin));
  std::string upload_id = upload.upload_id.value_or("");
  s3::CompletedMultipartUpload parts;
  parts.parts.emplace();
  int number = 1;
  for (uint64_t start = 0; start < size; start += options_.part_size, ++number) {
    uint64_t end = std::min(size, start + options_.part_size) - 1;
    s3::UploadPartCopyRequest pin{.bucket = b.bucket, .copy_source = CopySource(b.bucket, f.object)};
    pin.copy_source_if_match = head.e_tag;
    pin.copy_source_range = "bytes=" + std::to_string(start) + "-" + std::to_string(end);
    pin.key = f.object.key;
    pin.part_number = number;
    pin.upload_id = upload_id;
    auto part = client.Call<s3::ops::UploadPartCopy>(pin);
    if (!part.ok()) {
      (void)client.Call<s3::ops::AbortMultipartUpload>({.bucket = b.bucket, .key = f.object.key, .upload_id = upload_id});
      return part.status();
    }
    s3::CompletedPart cp;
    cp.e_tag = part->copy_part_result ? part->copy_part_result->e_tag : std::nullopt;
    cp.part_number = number;
    parts.parts->push_back(std::move(cp));
  }
  s3::CompleteMultipartUploadRequest done{.bucket = b.bucket, .key = f.object.key};
  done.multipart_upload = std::move(parts);
  done.upload_id = upload_id;
  CK_ASSIGN_OR_RETURN(auto out, client.Call<s3::ops::CompleteMultipartUpload>(done));
  return out.version_id.value_or("null");
}

void Fixer::Verify(FixResult& r) {
  auto head = owner_->Client("s3").Call<s3::ops::HeadObject>({.bucket = r.bucket, .key = r.key});
  if (!head.ok()) {
    r.outcome = FixOutcome::kVerifyFailed;
    r.detail = "re-audit: " + head.status().message();
  } else if (head->ssekms_key_id.value_or("") != r.target_key) {
    r.outcome = FixOutcome::kVerifyFailed;
    r.detail = "re-audit: now under " + head->ssekms_key_id.value_or("(no KMS key)");
  }
}

FixResult Fixer::FixOne(const BucketReport& b, const ObjectFinding& f, const std::string& target) {
  FixResult r{b.bucket, f.object.key, f.object.version_id, FixOutcome::kPlanned, target, "", ""};
  if (!f.finding.fixable) {
    r.outcome = FixOutcome::kUnreadable;
    r.detail = "SSE-C: the customer key is needed to read it";
  } else if (!f.object.latest) {
    r.outcome = FixOutcome::kSkipped;
    r.detail = "not the current version (history is kept as it is)";
  } else if (target.empty()) {
    r.outcome = FixOutcome::kSkipped;
    r.detail = "the bucket has no resolvable KMS key; pass --key ARN";
  }
  if (r.outcome != FixOutcome::kPlanned || !options_.apply) return r;
  auto copied = CopyInPlace(b, f, target);
  if (copied.ok()) {
    r.outcome = FixOutcome::kFixed;
    r.new_version_id = *copied;
    Verify(r);
  } else {
    r.outcome = Unreadable(copied.status()) ? FixOutcome::kUnreadable : FixOutcome::kFailed;
    r.detail = copied.status().aws_code() + ": " + copied.status().message();
  }
  return r;
}

Result<std::vector<FixResult>> Fixer::Run(const std::vector<BucketReport>& audit) {
  Journal journal(options_.journal_file);
  struct Task {
    const BucketReport* bucket;
    const ObjectFinding* finding;
  };
  std::vector<Task> tasks;
  std::vector<FixResult> results;
  for (const BucketReport& b : audit)
    for (const ObjectFinding& f : b.findings) {
      if (journal.Done(b.bucket, f.object)) {
        results.push_back({b.bucket, f.object.key, f.object.version_id, FixOutcome::kAlreadyDone, "", "", ""});
        continue;
      }
      tasks.push_back({&b, &f});
    }
  std::mutex mu;
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, options_.concurrency); ++i)
    workers.emplace_back([&] {
      for (size_t t; (t = next.fetch_add(1)) < tasks.size();) {
        const Task& task = tasks[t];
        std::string target = options_.key_override.empty() ? task.bucket->intended_key : options_.key_override;
        FixResult r = FixOne(*task.bucket, *task.finding, target);
        if (options_.apply && r.outcome != FixOutcome::kSkipped) journal.Record(r);
        std::lock_guard<std::mutex> lock(mu);
        results.push_back(std::move(r));
      }
    });
  for (auto& w : workers) w.join();
  return results;
}

std::string RenderFixText(const std::vector<FixResult>& results, bool apply) {
  std::string out = apply ? "" : "dry run (nothing changed; --apply to re-encrypt):\n";
  for (const FixResult& r : results) {
    out += "  s3://" + r.bucket + "/" + r.key + (r.version_id != "null" ? "?versionId=" + r.version_id : "") + ": " +
           std::string(FixOutcomeName(r.outcome));
    if (!r.target_key.empty() && (r.outcome == FixOutcome::kPlanned || r.outcome == FixOutcome::kFixed))
      out += " under " + r.target_key;
    if (!r.new_version_id.empty() && r.new_version_id != "null") out += " (new version " + r.new_version_id + ")";
    if (!r.detail.empty()) out += " — " + r.detail;
    out += "\n";
  }
  if (results.empty()) out += "  nothing to re-encrypt\n";
  return out;
}

std::string RenderFixJson(const std::vector<FixResult>& results) {
  json a = json::array();
  for (const FixResult& r : results)
    a.push_back({{"bucket", r.bucket}, {"key", r.key}, {"version_id", r.version_id},
                 {"outcome", FixOutcomeName(r.outcome)}, {"target_key", r.target_key},
                 {"new_version_id", r.new_version_id}, {"detail", r.detail}});
  return json{{"results", a}}.dump(2) + "\n";
}

}  // namespace ck::tools::audit
