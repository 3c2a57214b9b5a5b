#include "services/s3/operations.h"

#include "services/s3/ops/bucket_configs.h"
#include "services/s3/ops/object_lock.h"
#include "services/s3/ops/ops.h"
#include "services/s3/ops/subresources.h"
#include "wire/errors.h"
#include "wire/rest_xml_codec.h"

namespace ck::services::s3 {

namespace {

template <class T>
struct IsReply : std::false_type {};
template <class T>
struct IsReply<Reply<T>> : std::true_type {};

// The typed input of an operation, from the decoded request. Lenient: the
// codec has already checked what S3 checks; absent members keep their
// defaults. One schema check S3 makes of XML bodies is made here: a Tag
// without its Value element (PutBucketTagging, PutObjectTagging,
// CreateBucket) is MalformedXML (recorded; an empty Value is a value).
template <class In>
Result<In> TypedInput(const Document& doc, bool xml_body = false) {
  In in{};
  if (xml_body) {
    Status strict = FromDocument(doc, &in, DecodeOptions{.strict = true});
    if (!strict.ok() && EndsWith(strict.message(), "Value'")) return errors::Malformed();
    in = In{};
  }
  if (Status s = FromDocument(doc, &in, DecodeOptions{.strict = false}); !s.ok()) return errors::Malformed();
  return in;
}

template <class Out>
http::Response Encode(const Call& c, const Out& out) {
  http::Response r;
  wire::EncodeRestXmlResponse(*c.model, *c.route.operation, ToDocument(out), &r);
  return r;
}

template <class Out>
http::Response Respond(const Call& c, Reply<Out> reply) {
  http::Response r = Encode(c, reply.out);
  if (reply.status) r.status = reply.status;
  if (reply.content_length) {
    r.headers.Remove("content-length");
    r.content_length = reply.content_length;
  }
  r.stream = std::move(reply.body);
  return r;
}

template <class Op, auto Fn>
Result<http::Response> Run(S3Service& s, Call& c, const Document& doc) {
  bool xml_body = c.route.operation && BodyKindOf(*c.route.operation) == BodyKind::kBuffered;
  CK_ASSIGN_OR_RETURN(auto in, TypedInput<typename Op::Input>(doc, xml_body));
  auto out = Fn(s, in, c);
  if (!out.ok()) return out.status();
  if constexpr (IsReply<std::remove_cvref_t<decltype(*out)>>::value)
    return Respond(c, std::move(*out));
  else
    return Encode(c, *out);
}

// Streams the body into an ObjectWriter; Finish commits the blob, then runs
// the operation's commit. The blob is deleted when that fails; everything is
// discarded when the sink is destroyed unfinished.
template <class Out>
class UploadSink final : public http::BodySink {
 public:
  UploadSink(S3Service& s, std::shared_ptr<Call> c, Upload<Out> upload)
      : s_(s), c_(std::move(c)), upload_(std::move(upload)) {}

  Status Write(std::string_view chunk) override {
    if (!failure_.ok()) return failure_;
    failure_ = upload_.writer->Append(chunk);
    return failure_;
  }

  http::Response Finish() override { return s3::Finish(s_, *c_, Complete()); }

 private:
  Result<http::Response> Complete() {
    ObjectWriter& writer = *upload_.writer;
    if (!failure_.ok()) {
      writer.Abort();
      return failure_;
    }
    auto expected = c_->ctx.body ? c_->ctx.body->content_length : std::optional<uint64_t>();
    if (expected && writer.size() != *expected) {
      writer.Abort();
      return errors::IncompleteBody(
          "You did not provide the number of bytes specified by the Content-Length HTTP header.");
    }
    CK_ASSIGN_OR_RETURN(auto w, writer.Commit(upload_.staged));
    auto out = upload_.commit(w);
    if (!out.ok()) {
      // A staged row went nowhere: the blob never existed.
      if (w.blob_rows.empty()) s_.store().Release({w.segment});
      return out.status();
    }
    return Encode(*c_, *out);
  }

  S3Service& s_;
  std::shared_ptr<Call> c_;
  Upload<Out> upload_;
  Status failure_;
};

template <class Op, auto Fn>
Result<std::unique_ptr<http::BodySink>> Stream(S3Service& s, std::shared_ptr<Call> c, const Document& doc) {
  CK_ASSIGN_OR_RETURN(auto in, TypedInput<typename Op::Input>(doc));
  CK_ASSIGN_OR_RETURN(auto upload, Fn(s, in, *c));
  return std::unique_ptr<http::BodySink>(
      std::make_unique<UploadSink<typename Op::Output>>(s, std::move(c), std::move(upload)));
}

}  // namespace

BodyKind BodyKindOf(const wire::Operation& op) {
  const wire::Shape* in = op.input.shape;
  const wire::MemberRef* payload = in ? in->PayloadMember() : nullptr;
  if (!payload) return BodyKind::kNone;
  return payload->streaming ? BodyKind::kStreamed : BodyKind::kBuffered;
}

template <class Op, auto Fn>
EndpointTable& EndpointTable::Add(Endpoint e, OperationMeta meta) {
  using Ret =
      decltype(Fn(std::declval<S3Service&>(), std::declval<const typename Op::Input&>(), std::declval<Call&>()));
  static_assert(
      std::is_same_v<Ret, Result<typename Op::Output>> || std::is_same_v<Ret, Result<Reply<typename Op::Output>>>,
      "an operation is Result<Op::Output or Reply<Op::Output>> (S3Service&, const Op::Input&, Call&)");
  EndpointSpec& row = rows_[static_cast<size_t>(e)];
  row = EndpointSpec{Op::kName, meta, BodyKind::kNone, &Run<Op, Fn>, nullptr};
  if (auto* op = wire::FindService("s3")->FindOperation(Op::kName)) row.body = BodyKindOf(*op);
  return *this;
}

template <class Op, auto Fn>
EndpointTable& EndpointTable::AddUpload(Endpoint e, OperationMeta meta) {
  using Ret =
      decltype(Fn(std::declval<S3Service&>(), std::declval<const typename Op::Input&>(), std::declval<Call&>()));
  static_assert(std::is_same_v<Ret, Result<Upload<typename Op::Output>>>,
                "an upload is Result<Upload<Op::Output>> (S3Service&, const Op::Input&, Call&)");
  rows_[static_cast<size_t>(e)] = EndpointSpec{Op::kName, meta, BodyKind::kStreamed, nullptr, &Stream<Op, Fn>};
  return *this;
}

Status EndpointTable::CheckAgainst(const wire::ServiceModel& model) const {
  for (size_t i = static_cast<size_t>(Endpoint::kPreflight) + 1; i < rows_.size(); ++i) {
    const EndpointSpec& row = rows_[i];
    std::string_view name = EndpointName(static_cast<Endpoint>(i));
    if (row.name != name) return Internal("S3 endpoint " + std::string(name) + " has no operation");
    const wire::Operation* op = model.FindOperation(name);
    if (!op) return Internal("S3 endpoint " + std::string(name) + " is not an operation of the S3 model");
    if (BodyKindOf(*op) != row.body || (row.body == BodyKind::kStreamed) != (row.stream != nullptr))
      return Internal("S3 endpoint " + std::string(name) + " takes its body otherwise than its model says");
  }
  return Status::Ok();
}

namespace {

namespace ops = api::s3::ops;
using E = Endpoint;

OperationMeta Reads(std::string_view action, std::string_view resource = "bucket") {
  return OperationMeta{action, true, resource};
}
OperationMeta Writes(std::string_view action, std::string_view resource = "bucket") {
  return OperationMeta{action, false, resource};
}

void AddBuckets(EndpointTable& t) {
  t.Add<ops::ListBuckets, &ListBuckets>(E::kListBuckets, Reads("s3:ListAllMyBuckets", "*"))
      .Add<ops::CreateBucket, &CreateBucket>(E::kCreateBucket, Writes("s3:CreateBucket"))
      .Add<ops::DeleteBucket, &DeleteBucket>(E::kDeleteBucket, Writes("s3:DeleteBucket"))
      .Add<ops::HeadBucket, &HeadBucket>(E::kHeadBucket, Reads("s3:ListBucket"))
      .Add<ops::GetBucketLocation, &GetBucketLocation>(E::kGetBucketLocation, Reads("s3:GetBucketLocation"));
}

// Bucket sub-resources (ops/subresources.h): one descriptor, three generic operations.
void AddSubresources(EndpointTable& t) {
  t.Add<ops::GetBucketPolicy, &GetConfig<sub::kPolicy>>(E::kGetBucketPolicy, Reads("s3:GetBucketPolicy"))
      .Add<ops::PutBucketPolicy, &PutConfig<sub::kPolicy>>(E::kPutBucketPolicy, Writes("s3:PutBucketPolicy"))
      .Add<ops::DeleteBucketPolicy, &DeleteConfig<sub::kPolicy>>(E::kDeleteBucketPolicy,
                                                                 Writes("s3:DeleteBucketPolicy"))
      .Add<ops::GetBucketPolicyStatus, &GetConfig<sub::kPolicyStatus>>(E::kGetBucketPolicyStatus,
                                                                       Reads("s3:GetBucketPolicyStatus"))
      .Add<ops::GetBucketTagging, &GetConfig<sub::kTagging>>(E::kGetBucketTagging, Reads("s3:GetBucketTagging"))
      .Add<ops::PutBucketTagging, &PutConfig<sub::kTagging>>(E::kPutBucketTagging, Writes("s3:PutBucketTagging"))
      .Add<ops::DeleteBucketTagging, &DeleteConfig<sub::kTagging>>(E::kDeleteBucketTagging,
                                                                   Writes("s3:PutBucketTagging"))
      .Add<ops::GetBucketCors, &GetConfig<sub::kCors>>(E::kGetBucketCors, Reads("s3:GetBucketCORS"))
      .Add<ops::PutBucketCors, &PutConfig<sub::kCors>>(E::kPutBucketCors, Writes("s3:PutBucketCORS"))
      .Add<ops::DeleteBucketCors, &DeleteConfig<sub::kCors>>(E::kDeleteBucketCors, Writes("s3:PutBucketCORS"))
      .Add<ops::GetPublicAccessBlock, &GetConfig<sub::kPublicAccessBlock>>(E::kGetPublicAccessBlock,
                                                                           Reads("s3:GetBucketPublicAccessBlock"))
      .Add<ops::PutPublicAccessBlock, &PutConfig<sub::kPublicAccessBlock>>(E::kPutPublicAccessBlock,
                                                                           Writes("s3:PutBucketPublicAccessBlock"))
      .Add<ops::DeletePublicAccessBlock, &DeleteConfig<sub::kPublicAccessBlock>>(
          E::kDeletePublicAccessBlock, Writes("s3:PutBucketPublicAccessBlock"))
      .Add<ops::GetBucketOwnershipControls, &GetConfig<sub::kOwnershipControls>>(E::kGetBucketOwnershipControls,
                                                                                 Reads("s3:GetBucketOwnershipControls"))
      .Add<ops::PutBucketOwnershipControls, &PutConfig<sub::kOwnershipControls>>(
          E::kPutBucketOwnershipControls, Writes("s3:PutBucketOwnershipControls"))
      .Add<ops::DeleteBucketOwnershipControls, &DeleteConfig<sub::kOwnershipControls>>(
          E::kDeleteBucketOwnershipControls, Writes("s3:PutBucketOwnershipControls"))
      .Add<ops::GetBucketVersioning, &GetConfig<sub::kVersioning>>(E::kGetBucketVersioning,
                                                                   Reads("s3:GetBucketVersioning"))
      .Add<ops::PutBucketVersioning, &PutConfig<sub::kVersioning>>(E::kPutBucketVersioning,
                                                                   Writes("s3:PutBucketVersioning"))
      .Add<ops::GetBucketAcl, &GetBucketAcl>(E::kGetBucketAcl, Reads("s3:GetBucketAcl"))
      .Add<ops::PutBucketAcl, &PutBucketAcl>(E::kPutBucketAcl, Writes("s3:PutBucketAcl"))
      .Add<ops::GetBucketEncryption, &GetConfig<sub::kEncryption>>(E::kGetBucketEncryption,
                                                                   Reads("s3:GetEncryptionConfiguration"))
      .Add<ops::PutBucketEncryption, &PutConfig<sub::kEncryption>>(E::kPutBucketEncryption,
                                                                   Writes("s3:PutEncryptionConfiguration"))
      .Add<ops::DeleteBucketEncryption, &DeleteConfig<sub::kEncryption>>(E::kDeleteBucketEncryption,
                                                                         Writes("s3:PutEncryptionConfiguration"));
}

// Settings crosskey does not implement: read and deleted as never configured.
void AddUnconfigured(EndpointTable& t) {
  t.Add<ops::GetBucketLifecycle, &GetConfig<sub::kLifecycleLegacy>>(E::kGetBucketLifecycle,
                                                                    Reads("s3:GetLifecycleConfiguration"))
      .Add<ops::GetBucketReplication, &GetConfig<sub::kReplication>>(E::kGetBucketReplication,
                                                                     Reads("s3:GetReplicationConfiguration"))
      .Add<ops::DeleteBucketReplication, &DeleteConfig<sub::kReplication>>(E::kDeleteBucketReplication,
                                                                           Writes("s3:PutReplicationConfiguration"))
      .Add<ops::GetBucketNotificationConfiguration, &GetConfig<sub::kNotifications>>(
          E::kGetBucketNotificationConfiguration, Reads("s3:GetBucketNotification"));
}

// Bucket settings kept as configured (ops/bucket_configs.h).
void AddConfigs(EndpointTable& t) {
  t.Add<ops::GetBucketLifecycleConfiguration, &GetBucketLifecycleConfiguration>(E::kGetBucketLifecycleConfiguration,
                                                                                Reads("s3:GetLifecycleConfiguration"))
      .Add<ops::PutBucketLifecycleConfiguration, &PutBucketLifecycleConfiguration>(
          E::kPutBucketLifecycleConfiguration, Writes("s3:PutLifecycleConfiguration"))
      .Add<ops::DeleteBucketLifecycle, &DeleteBucketLifecycle>(E::kDeleteBucketLifecycle,
                                                               Writes("s3:PutLifecycleConfiguration"))
      .Add<ops::GetBucketWebsite, &GetConfig<sub::kWebsite>>(E::kGetBucketWebsite, Reads("s3:GetBucketWebsite"))
      .Add<ops::PutBucketWebsite, &PutConfig<sub::kWebsite>>(E::kPutBucketWebsite, Writes("s3:PutBucketWebsite"))
      .Add<ops::DeleteBucketWebsite, &DeleteConfig<sub::kWebsite>>(E::kDeleteBucketWebsite,
                                                                   Writes("s3:DeleteBucketWebsite"))
      .Add<ops::GetBucketLogging, &GetConfig<sub::kLogging>>(E::kGetBucketLogging, Reads("s3:GetBucketLogging"))
      .Add<ops::PutBucketLogging, &PutConfig<sub::kLogging>>(E::kPutBucketLogging, Writes("s3:PutBucketLogging"))
      .Add<ops::GetBucketAccelerateConfiguration, &GetConfig<sub::kAccelerate>>(E::kGetBucketAccelerateConfiguration,
                                                                                Reads("s3:GetAccelerateConfiguration"))
      .Add<ops::PutBucketAccelerateConfiguration, &PutConfig<sub::kAccelerate>>(E::kPutBucketAccelerateConfiguration,
                                                                                Writes("s3:PutAccelerateConfiguration"))
      .Add<ops::GetBucketRequestPayment, &GetConfig<sub::kRequestPayment>>(E::kGetBucketRequestPayment,
                                                                           Reads("s3:GetBucketRequestPayment"))
      .Add<ops::PutBucketRequestPayment, &PutConfig<sub::kRequestPayment>>(E::kPutBucketRequestPayment,
                                                                           Writes("s3:PutBucketRequestPayment"));
}

// Configurations kept by id (ops/bucket_configs.h).
void AddIdConfigs(EndpointTable& t) {
  t.Add<ops::PutBucketMetricsConfiguration, &PutBucketMetricsConfiguration>(E::kPutBucketMetricsConfiguration,
                                                                            Writes("s3:PutMetricsConfiguration"))
      .Add<ops::GetBucketMetricsConfiguration, &GetBucketMetricsConfiguration>(E::kGetBucketMetricsConfiguration,
                                                                               Reads("s3:GetMetricsConfiguration"))
      .Add<ops::DeleteBucketMetricsConfiguration, &DeleteBucketMetricsConfiguration>(
          E::kDeleteBucketMetricsConfiguration, Writes("s3:PutMetricsConfiguration"))
      .Add<ops::ListBucketMetricsConfigurations, &ListBucketMetricsConfigurations>(E::kListBucketMetricsConfigurations,
                                                                                   Reads("s3:GetMetricsConfiguration"))
      .Add<ops::PutBucketAnalyticsConfiguration, &PutBucketAnalyticsConfiguration>(
          E::kPutBucketAnalyticsConfiguration, Writes("s3:PutAnalyticsConfiguration"))
      .Add<ops::GetBucketAnalyticsConfiguration, &GetBucketAnalyticsConfiguration>(
          E::kGetBucketAnalyticsConfiguration, Reads("s3:GetAnalyticsConfiguration"))
      .Add<ops::DeleteBucketAnalyticsConfiguration, &DeleteBucketAnalyticsConfiguration>(
          E::kDeleteBucketAnalyticsConfiguration, Writes("s3:PutAnalyticsConfiguration"))
      .Add<ops::ListBucketAnalyticsConfigurations, &ListBucketAnalyticsConfigurations>(
          E::kListBucketAnalyticsConfigurations, Reads("s3:GetAnalyticsConfiguration"))
      .Add<ops::PutBucketIntelligentTieringConfiguration, &PutBucketIntelligentTieringConfiguration>(
          E::kPutBucketIntelligentTieringConfiguration, Writes("s3:PutIntelligentTieringConfiguration"))
      .Add<ops::GetBucketIntelligentTieringConfiguration, &GetBucketIntelligentTieringConfiguration>(
          E::kGetBucketIntelligentTieringConfiguration, Reads("s3:GetIntelligentTieringConfiguration"))
      .Add<ops::DeleteBucketIntelligentTieringConfiguration, &DeleteBucketIntelligentTieringConfiguration>(
          E::kDeleteBucketIntelligentTieringConfiguration, Writes("s3:PutIntelligentTieringConfiguration"))
      .Add<ops::ListBucketIntelligentTieringConfigurations, &ListBucketIntelligentTieringConfigurations>(
          E::kListBucketIntelligentTieringConfigurations, Reads("s3:GetIntelligentTieringConfiguration"));
}

void AddObjects(EndpointTable& t) {
  t.AddUpload<ops::PutObject, &PutObject>(E::kPutObject, Writes("s3:PutObject", "object"))
      .Add<ops::GetObject, &GetObject>(E::kGetObject, Reads("s3:GetObject", "object"))
      .Add<ops::HeadObject, &HeadObject>(E::kHeadObject, Reads("s3:GetObject", "object"))
      .Add<ops::DeleteObject, &DeleteObject>(E::kDeleteObject, Writes("s3:DeleteObject", "object"))
      .Add<ops::DeleteObjects, &DeleteObjects>(E::kDeleteObjects, Writes("s3:DeleteObject", "object"))
      .Add<ops::CopyObject, &CopyObject>(E::kCopyObject, Writes("s3:PutObject", "object"))
      .Add<ops::GetObjectTagging, &GetObjectTagging>(E::kGetObjectTagging, Reads("s3:GetObjectTagging", "object"))
      .Add<ops::PutObjectTagging, &PutObjectTagging>(E::kPutObjectTagging, Writes("s3:PutObjectTagging", "object"))
      .Add<ops::DeleteObjectTagging, &DeleteObjectTagging>(E::kDeleteObjectTagging,
                                                           Writes("s3:DeleteObjectTagging", "object"))
      .Add<ops::GetObjectAttributes, &GetObjectAttributes>(E::kGetObjectAttributes,
                                                           Reads("s3:GetObjectAttributes", "object"))
      .Add<ops::GetObjectAcl, &GetObjectAcl>(E::kGetObjectAcl, Reads("s3:GetObjectAcl", "object"))
      .Add<ops::PutObjectAcl, &PutObjectAcl>(E::kPutObjectAcl, Writes("s3:PutObjectAcl", "object"))
      .Add<ops::ListObjects, &ListObjects>(E::kListObjects, Reads("s3:ListBucket"))
      .Add<ops::ListObjectsV2, &ListObjectsV2>(E::kListObjectsV2, Reads("s3:ListBucket"))
      .Add<ops::ListObjectVersions, &ListObjectVersions>(E::kListObjectVersions, Reads("s3:ListBucketVersions"));
}

void AddMultipart(EndpointTable& t) {
  t.Add<ops::CreateMultipartUpload, &CreateMultipartUpload>(E::kCreateMultipartUpload, Writes("s3:PutObject", "object"))
      .AddUpload<ops::UploadPart, &UploadPart>(E::kUploadPart, Writes("s3:PutObject", "object"))
      .Add<ops::UploadPartCopy, &UploadPartCopy>(E::kUploadPartCopy, Writes("s3:PutObject", "object"))
      .Add<ops::CompleteMultipartUpload, &CompleteMultipartUpload>(E::kCompleteMultipartUpload,
                                                                   Writes("s3:PutObject", "object"))
      .Add<ops::AbortMultipartUpload, &AbortMultipartUpload>(E::kAbortMultipartUpload,
                                                             Writes("s3:AbortMultipartUpload", "object"))
      .Add<ops::ListParts, &ListParts>(E::kListParts, Reads("s3:ListMultipartUploadParts", "object"))
      .Add<ops::ListMultipartUploads, &ListMultipartUploads>(E::kListMultipartUploads,
                                                             Reads("s3:ListBucketMultipartUploads"));
}

// Object Lock (ops/object_lock.h).
void AddObjectLock(EndpointTable& t) {
  t.Add<ops::GetObjectLockConfiguration, &GetObjectLockConfiguration>(E::kGetObjectLockConfiguration,
                                                                      Reads("s3:GetBucketObjectLockConfiguration"))
      .Add<ops::PutObjectLockConfiguration, &PutObjectLockConfiguration>(E::kPutObjectLockConfiguration,
                                                                         Writes("s3:PutBucketObjectLockConfiguration"))
      .Add<ops::PutObjectRetention, &PutObjectRetention>(E::kPutObjectRetention,
                                                         Writes("s3:PutObjectRetention", "object"))
      .Add<ops::GetObjectRetention, &GetObjectRetention>(E::kGetObjectRetention,
                                                         Reads("s3:GetObjectRetention", "object"))
      .Add<ops::PutObjectLegalHold, &PutObjectLegalHold>(E::kPutObjectLegalHold,
                                                         Writes("s3:PutObjectLegalHold", "object"))
      .Add<ops::GetObjectLegalHold, &GetObjectLegalHold>(E::kGetObjectLegalHold,
                                                         Reads("s3:GetObjectLegalHold", "object"));
}

}  // namespace

const EndpointTable& Endpoints() {
  static const auto* table = [] {
    auto* t = new EndpointTable();
    AddBuckets(*t);
    AddSubresources(*t);
    AddUnconfigured(*t);
    AddConfigs(*t);
    AddIdConfigs(*t);
    AddObjects(*t);
    AddMultipart(*t);
    AddObjectLock(*t);
    return t;
  }();
  return *table;
}

http::Response ErrorResponse(const Call& c, const Status& status) {
  http::Response r;
  wire::RenderS3Error(status, c.ctx.request_id, c.host_id, &r, c.method() == "HEAD");
  r.headers.Set("server", "AmazonS3");
  for (const auto& [name, value] : c.error_headers) r.headers.Set(name, value);
  if (!c.warning_header.empty()) r.headers.Set("x-crosskey-warning", c.warning_header);
  return r;
}

http::Response Finish(S3Service& s, Call& c, Result<http::Response> r) {
  if (!r.ok()) {
    http::Response e = ErrorResponse(c, r.status());
    if (!c.error_headers.empty()) ApplyCors(s, c, &e);  // a delete marker's answer is the object's
    return e;
  }
  ApplyCors(s, c, &*r);
  if (!c.warning_header.empty()) r->headers.Set("x-crosskey-warning", c.warning_header);
  r->headers.Set("x-amz-request-id", c.ctx.request_id);
  r->headers.Set("x-amz-id-2", c.host_id);
  r->headers.Set("server", "AmazonS3");  // as S3 names itself
  return std::move(*r);
}

}  // namespace ck::services::s3
