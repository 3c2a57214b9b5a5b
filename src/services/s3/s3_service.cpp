#include "services/s3/s3_service.h"

#include <algorithm>

#include "base/codec.h"
#include "core/ids.h"
#include "services/s3/operations.h"
#include "services/s3/ops/common.h"
#include "services/s3/ops/post_object.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

// Reads a configuration body whole (up to max_xml_body), then runs the endpoint.
class BufferedSink final : public http::BodySink {
 public:
  BufferedSink(S3Service& s, std::shared_ptr<Call> c, const EndpointSpec& spec)
      : s_(s), c_(std::move(c)), spec_(spec) {}
  Status Write(std::string_view chunk) override {
    if (body_.size() + chunk.size() > s_.options().max_xml_body) return TooBig();
    body_.append(chunk);
    return Status::Ok();
  }
  http::Response Finish() override {
    if (body_.size() > s_.options().max_xml_body) return ErrorResponse(*c_, TooBig());
    return s3::Finish(s_, *c_, Run());
  }

 private:
  static Status TooBig() { return errors::MaxMessageLengthExceeded("Your request was too big."); }
  Result<http::Response> Run() {
    CK_ASSIGN_OR_RETURN(auto input, DecodeRequest(*c_, body_));
    return spec_.run(s_, *c_, input);
  }

  S3Service& s_;
  std::shared_ptr<Call> c_;
  const EndpointSpec& spec_;
  std::string body_;
};

std::unique_ptr<http::BodySink> Fixed(http::Response r) {
  return std::make_unique<http::FixedResponseSink>(std::move(r));
}

// x-amz-expected-bucket-owner (and x-amz-source-expected-bucket-owner for a
// copy's source), on every operation: an account id (400 otherwise), the
// owner of the bucket when it exists (403 Access Denied otherwise; a missing
// bucket is the operation's to answer).
Status CheckExpectedOwner(S3Service& s, const Call& c, const char* header, const std::string& bucket) {
  auto expected = c.RawHeader(header);
  if (!expected) return Status::Ok();
  std::string v(*expected);
  if (v.size() != 12 || !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return errors::InvalidBucketOwnerAWSAccountID(
        "The value of the expected bucket owner parameter must be an AWS Account ID... [" + v + "]");
  if (bucket.empty()) return Status::Ok();
  auto b = s.store().Bucket(bucket);
  if (b.ok() && (*b)->owner != v) return errors::PlainAccessDenied();
  return Status::Ok();
}

Status CheckExpectedOwners(S3Service& s, const Call& c) {
  CK_RETURN_IF_ERROR(CheckExpectedOwner(s, c, "x-amz-expected-bucket-owner", c.route.bucket));
  std::string source;
  if (auto cs = c.RawHeader("x-amz-copy-source")) {
    std::string path = UriDecode(std::string(cs->substr(0, cs->find('?')))).value_or("");
    if (StartsWith(path, "/")) path = path.substr(1);
    source = path.substr(0, path.find('/'));
  }
  return CheckExpectedOwner(s, c, "x-amz-source-expected-bucket-owner", source);
}

}  // namespace

Result<Document> DecodeRequest(const Call& c, std::string_view body) {
  std::map<std::string, std::string> labels;
  if (!c.route.bucket.empty()) labels.emplace("Bucket", c.route.bucket);
  if (!c.route.key.empty()) labels.emplace("Key", c.route.key);
  return wire::DecodeRestXmlRequest(*c.model, *c.route.operation, *c.head, labels, body);
}

S3Service::S3Service(storage::MetadataStore& meta, storage::BlobStore& blobs, PolicyAuthorizer& authorizer,
                     const Clock& clock, S3Options options)
    : authorizer_(authorizer),
      clock_(clock),
      options_(std::move(options)),
      sse_(options_.sse, clock),
      store_(meta, blobs) {}

Status S3Service::CheckModel() const {
  const wire::ServiceModel* model = wire::FindService("s3");
  if (!model) return Internal("S3 model missing");
  return Endpoints().CheckAgainst(*model);
}

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
  c->host_id = ids::Base64(24);
  if (Status s = CheckRequestEncoding(*c->head); !s.ok()) return Fixed(ErrorResponse(*c, s));
  c->model = wire::FindService("s3");
  if (!c->model) return Fixed(ErrorResponse(*c, Internal("S3 model missing")));

  // A browser-form upload is no operation of the model (POST Object).
  if (auto bucket = PostObjectBucket(*c->head)) return BeginPostObject(*this, c, std::move(*bucket));
  c->route = RouteRequest(*c->model, *c->head);
  c->ctx.operation =
      std::string(c->route.operation ? std::string_view(c->route.operation->name) : EndpointName(c->route.endpoint));
  if (c->route.endpoint == Endpoint::kPreflight) {
    auto r = Preflight(*this, *c);
    if (!r.ok()) return Fixed(ErrorResponse(*c, r.status()));
    r->headers.Set("x-amz-request-id", c->ctx.request_id);
    r->headers.Set("x-amz-id-2", c->host_id);
    return Fixed(std::move(*r));
  }
  const EndpointSpec* spec = Endpoints().Find(c->route.endpoint);
  if (!spec) return Fixed(ErrorResponse(*c, RouteError(c->route, c->head->method)));
  c->action = spec->meta.iam_action;
  if (Status st = CheckExpectedOwners(*this, *c); !st.ok()) return Fixed(ErrorResponse(*c, st));
  if (spec->body == BodyKind::kBuffered) return std::make_unique<BufferedSink>(*this, c, *spec);

  auto input = DecodeRequest(*c, "");
  if (!input.ok()) return Fixed(ErrorResponse(*c, input.status()));
  if (spec->body == BodyKind::kStreamed) {
    auto sink = spec->stream(*this, c, *input);
    if (!sink.ok()) return Fixed(ErrorResponse(*c, sink.status()));
    return std::move(*sink);
  }
  return Fixed(Finish(*this, *c, spec->run(*this, *c, *input)));
}

}  // namespace ck::services::s3
