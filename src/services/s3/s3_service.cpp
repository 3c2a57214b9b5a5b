#include "services/s3/s3_service.h"

#include <unordered_map>

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/s3_internal.h"
#include "wire/errors.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

enum class Kind { kImmediate, kBuffered, kStream };

struct Entry {
  Kind kind;
  Handler handler = nullptr;
  StreamHandler stream = nullptr;
};

const std::unordered_map<std::string, Entry>& Table() {
  static const auto* table = new std::unordered_map<std::string, Entry>{
      {"ListBuckets", {Kind::kImmediate, ListBuckets}},
      {"CreateBucket", {Kind::kBuffered, CreateBucket}},
      {"DeleteBucket", {Kind::kImmediate, DeleteBucket}},
      {"HeadBucket", {Kind::kImmediate, HeadBucket}},
      {"GetBucketLocation", {Kind::kImmediate, GetBucketLocation}},
      {"GetBucketPolicy", {Kind::kImmediate, BucketConfig}},
      {"PutBucketPolicy", {Kind::kBuffered, BucketConfig}},
      {"DeleteBucketPolicy", {Kind::kImmediate, BucketConfig}},
      {"GetBucketPolicyStatus", {Kind::kImmediate, BucketConfig}},
      {"GetBucketTagging", {Kind::kImmediate, BucketConfig}},
      {"PutBucketTagging", {Kind::kBuffered, BucketConfig}},
      {"DeleteBucketTagging", {Kind::kImmediate, BucketConfig}},
      {"GetBucketCors", {Kind::kImmediate, BucketConfig}},
      {"PutBucketCors", {Kind::kBuffered, BucketConfig}},
      {"DeleteBucketCors", {Kind::kImmediate, BucketConfig}},
      {"GetPublicAccessBlock", {Kind::kImmediate, BucketConfig}},
      {"PutPublicAccessBlock", {Kind::kBuffered, BucketConfig}},
      {"DeletePublicAccessBlock", {Kind::kImmediate, BucketConfig}},
      {"GetBucketOwnershipControls", {Kind::kImmediate, BucketConfig}},
      {"PutBucketOwnershipControls", {Kind::kBuffered, BucketConfig}},
      {"DeleteBucketOwnershipControls", {Kind::kImmediate, BucketConfig}},
      {"GetBucketVersioning", {Kind::kImmediate, BucketConfig}},
      {"PutBucketVersioning", {Kind::kBuffered, BucketConfig}},
      {"GetBucketAcl", {Kind::kImmediate, BucketConfig}},
      {"PutBucketAcl", {Kind::kBuffered, BucketConfig}},
      {"GetBucketEncryption", {Kind::kImmediate, BucketConfig}},
      {"PutBucketEncryption", {Kind::kBuffered, BucketConfig}},
      {"DeleteBucketEncryption", {Kind::kImmediate, BucketConfig}},
      {"GetBucketLifecycleConfiguration", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketLifecycle", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"DeleteBucketLifecycle", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketWebsite", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"DeleteBucketWebsite", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketReplication", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"DeleteBucketReplication", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetObjectLockConfiguration", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketLogging", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketAccelerateConfiguration", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketRequestPayment", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"GetBucketNotificationConfiguration", {Kind::kImmediate, UnconfiguredBucketConfig}},
      {"PutObject", {Kind::kStream, nullptr, PutObject}},
      {"GetObject", {Kind::kImmediate, GetObject}},
      {"HeadObject", {Kind::kImmediate, GetObject}},
      {"DeleteObject", {Kind::kImmediate, DeleteObject}},
      {"DeleteObjects", {Kind::kBuffered, DeleteObjects}},
      {"CopyObject", {Kind::kImmediate, CopyObject}},
      {"GetObjectTagging", {Kind::kImmediate, ObjectTagging}},
      {"PutObjectTagging", {Kind::kBuffered, ObjectTagging}},
      {"DeleteObjectTagging", {Kind::kImmediate, ObjectTagging}},
      {"GetObjectAttributes", {Kind::kImmediate, GetObjectAttributes}},
      {"GetObjectAcl", {Kind::kImmediate, ObjectAcl}},
      {"PutObjectAcl", {Kind::kBuffered, ObjectAcl}},
      {"ListObjects", {Kind::kImmediate, ListObjects}},
      {"ListObjectsV2", {Kind::kImmediate, ListObjects}},
      {"ListObjectVersions", {Kind::kImmediate, ListObjectVersions}},
      {"CreateMultipartUpload", {Kind::kImmediate, CreateMultipartUpload}},
      {"UploadPart", {Kind::kStream, nullptr, UploadPart}},
      {"UploadPartCopy", {Kind::kImmediate, UploadPartCopy}},
      {"CompleteMultipartUpload", {Kind::kBuffered, CompleteMultipartUpload}},
      {"AbortMultipartUpload", {Kind::kImmediate, AbortMultipartUpload}},
      {"ListParts", {Kind::kImmediate, ListParts}},
      {"ListMultipartUploads", {Kind::kImmediate, ListMultipartUploads}},
  };
  return *table;
}

// Virtual-hosted style: "bucket.s3.localhost:4566", "bucket.localhost",
// "bucket.s3.us-east-1.amazonaws.com" name the bucket in the host.
std::string BucketFromHost(std::string_view host) {
  if (auto colon = host.rfind(':'); colon != std::string_view::npos && host.find(']') == std::string_view::npos)
    host = host.substr(0, colon);
  std::string h = ToLower(host);
  if (auto p = h.find(".s3."); p != std::string::npos && p > 0) return h.substr(0, p);
  if (auto p = h.find(".s3-"); p != std::string::npos && p > 0 && EndsWith(h, ".amazonaws.com")) return h.substr(0, p);
  for (std::string_view suffix : {".localhost.localstack.cloud", ".localhost"}) {
    if (EndsWith(h, suffix) && h.size() > suffix.size() && !StartsWith(h, "s3.")) return h.substr(0, h.size() - suffix.size());
  }
  return "";
}

class BufferedSink final : public http::BodySink {
 public:
  BufferedSink(S3Service& s, std::shared_ptr<Call> c, Handler h) : s_(s), c_(std::move(c)), h_(h) {}
  Status Write(std::string_view chunk) override {
    if (body_.size() + chunk.size() > s_.options().max_xml_body) {
      return AwsError("MaxMessageLengthExceeded", 400, "Your request was too big.");
    }
    body_.append(chunk);
    return Status::Ok();
  }
  http::Response Finish() override {
    if (body_.size() > s_.options().max_xml_body)
      return ErrorResponse(*c_, AwsError("MaxMessageLengthExceeded", 400, "Your request was too big."));
    auto input = wire::DecodeRestXmlRequest(*c_->model, *c_->op, *c_->head, c_->labels, body_);
    if (!input.ok()) return ErrorResponse(*c_, input.status());
    c_->input = std::move(*input);
    auto r = h_(s_, *c_);
    if (!r.ok()) return ErrorResponse(*c_, r.status());
    ApplyCors(s_, *c_, &*r);
    StampIds(*c_, &*r);
    return std::move(*r);
  }

 private:
  S3Service& s_;
  std::shared_ptr<Call> c_;
  Handler h_;
  std::string body_;
};

std::unique_ptr<http::BodySink> Fixed(http::Response r) {
  return std::make_unique<http::FixedResponseSink>(std::move(r));
}

}  // namespace

S3Service::S3Service(storage::MetadataStore& meta, storage::BlobStore& blobs, PolicyAuthorizer& authorizer,
                     const Clock& clock, S3Options options)
    : meta_(meta), blobs_(blobs), authorizer_(authorizer), clock_(clock), options_(std::move(options)),
      sse_(options_.sse, clock),
      buckets_(meta) {}

std::unique_ptr<http::BodySink> S3Service::Begin(RequestContext ctx, std::string* operation) {
  auto c = std::make_shared<Call>();
  c->head = ctx.head;
  c->ctx = std::move(ctx);
  // Reports the recognised operation whichever way Begin returns.
  struct ReportOperation {
    const Call& call;
    std::string* out;
    ~ReportOperation() {
      if (out) *out = call.ctx.operation;
    }
  } report{*c, operation};
  c->host_id = Base64Encode(crypto::RandomBytes(24));
  c->host = c->head->headers.GetOr("host");
  const http::RequestHead& head = *c->head;
  if (Status s = CheckRequestEncoding(head); !s.ok()) return Fixed(ErrorResponse(*c, s));

  std::string raw_path = head.raw_path.empty() ? "/" : head.raw_path;
  if (std::string vhost = BucketFromHost(c->host); !vhost.empty()) {
    raw_path = "/" + UriEncode(vhost) + (raw_path == "/" ? "" : raw_path);
  }
  c->model = wire::FindService("s3");
  if (!c->model) return Fixed(ErrorResponse(*c, Internal("S3 model missing")));

  if (head.method == "OPTIONS") {
    // Preflight: the bucket is the first path segment.
    std::string path = UriDecode(raw_path).value_or(raw_path);
    size_t slash = path.find('/', 1);
    c->bucket = path.substr(1, slash == std::string::npos ? std::string::npos : slash - 1);
    c->key = slash == std::string::npos ? "" : path.substr(slash + 1);
    c->ctx.operation = "PreflightRequest";
    auto r = Preflight(*this, *c);
    if (!r.ok()) return Fixed(ErrorResponse(*c, r.status()));
    StampIds(*c, &*r);
    return Fixed(std::move(*r));
  }

  auto match = c->model->MatchRestOperation(head.method, raw_path, head.query, head.headers);
  if (!match) {
    if (head.method != "GET" && head.method != "PUT" && head.method != "POST" && head.method != "DELETE" &&
        head.method != "HEAD")
      return Fixed(ErrorResponse(
          *c, AwsError("MethodNotAllowed", 405, "The specified method is not allowed against this resource.")
                  .WithField("Method", head.method)
                  .WithField("ResourceType", "OBJECT")));
    return Fixed(ErrorResponse(*c, wire::S3NotImplemented()));
  }
  c->op = match->operation;
  c->labels = std::move(match->labels);
  c->ctx.operation = c->op->name;
  if (auto it = c->labels.find("Bucket"); it != c->labels.end()) c->bucket = it->second;
  if (auto it = c->labels.find("Key"); it != c->labels.end()) c->key = it->second;

  auto entry = Table().find(c->op->name);
  if (entry == Table().end()) {
    return Fixed(ErrorResponse(
        *c, AwsError("NotImplemented", 501, "A header you provided implies functionality that is not implemented")
                .WithField("Header", c->op->name)));
  }
  if (entry->second.kind == Kind::kBuffered) {
    return std::make_unique<BufferedSink>(*this, c, entry->second.handler);
  }
  auto input = wire::DecodeRestXmlRequest(*c->model, *c->op, head, c->labels, "");
  if (!input.ok()) return Fixed(ErrorResponse(*c, input.status()));
  c->input = std::move(*input);
  if (entry->second.kind == Kind::kStream) {
    auto sink = entry->second.stream(*this, c);
    if (!sink.ok()) return Fixed(ErrorResponse(*c, sink.status()));
    return std::move(*sink);
  }
  auto r = entry->second.handler(*this, *c);
  if (!r.ok()) return Fixed(ErrorResponse(*c, r.status()));
  ApplyCors(*this, *c, &*r);
  StampIds(*c, &*r);
  return Fixed(std::move(*r));
}

// --- Responses ---

void StampIds(Call& c, http::Response* r) {
  if (!c.warning_header.empty()) r->headers.Set("x-crosskey-warning", c.warning_header);
  r->headers.Set("x-amz-request-id", c.ctx.request_id);
  r->headers.Set("x-amz-id-2", c.host_id);
}

http::Response Encode(Call& c, const json& output) {
  http::Response r;
  wire::EncodeRestXmlResponse(*c.model, *c.op, output, &r);
  return r;
}

http::Response ErrorResponse(Call& c, const Status& status) {
  http::Response r;
  wire::RenderS3Error(status, c.ctx.request_id, c.host_id, &r, c.head->method == "HEAD");
  if (!c.warning_header.empty()) r.headers.Set("x-crosskey-warning", c.warning_header);
  return r;
}

// --- Errors ---

Status NoSuchBucket(const std::string& bucket) {
  return AwsError("NoSuchBucket", 404, "The specified bucket does not exist").WithField("BucketName", bucket);
}
Status NoSuchKey(const std::string& key) {
  return AwsError("NoSuchKey", 404, "The specified key does not exist.").WithField("Key", key);
}
Status NoSuchUpload(const std::string& upload_id) {
  return AwsError("NoSuchUpload", 404,
                  "The specified upload does not exist. The upload ID may be invalid, or the upload may have been "
                  "aborted or completed.")
      .WithField("UploadId", upload_id);
}
Status NoSuchVersion(const std::string& key, const std::string& version_id) {
  return AwsError("NoSuchVersion", 404, "The specified version does not exist.")
      .WithField("Key", key)
      .WithField("VersionId", version_id);
}
Status InvalidArgument(const std::string& message, const std::string& name, const std::string& value) {
  return AwsError("InvalidArgument", 400, message).WithField("ArgumentName", name).WithField("ArgumentValue", value);
}
Status InvalidRequest(const std::string& message) { return AwsError("InvalidRequest", 400, message); }
Status PreconditionFailed(const std::string& condition) {
  return AwsError("PreconditionFailed", 412, "At least one of the pre-conditions you specified did not hold")
      .WithField("Condition", condition);
}
Status AccessDeniedPlain() { return AwsError("AccessDenied", 403, "Access Denied"); }

}  // namespace ck::services::s3
