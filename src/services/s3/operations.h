// The S3 endpoint table: one row per Endpoint (router.h) with what the rest
// of the system needs to know (IAM action, read-only, resource kind), how the
// request body is taken (none, buffered XML, streamed) and the typed
// operation that serves it. A row is added with the generated operation
// descriptor that names its shapes:
//
//   t.Add<ops::GetBucketLocation, &GetBucketLocation>(Endpoint::kGetBucketLocation,
//                                                      {.iam_action = "s3:GetBucketLocation"});
//
// so an operation with the wrong input or output type does not compile. The
// row converts the decoded request Document into the typed input (leniently:
// the rest-xml codec has validated what S3 validates) and the typed output
// (or Reply/Upload, ops/common.h) into the response.
//
// Thread safety: built once, then immutable.
#pragma once

#include <array>
#include <memory>
#include <string_view>

#include "base/fields.h"
#include "base/status.h"
#include "http/message.h"
#include "services/common/operation_table.h"
#include "services/s3/router.h"
#include "wire/model.h"

namespace ck::services::s3 {

class S3Service;
struct Call;

enum class BodyKind : uint8_t {
  kNone,      // answered from the head
  kBuffered,  // an XML (or policy text) payload, read whole first
  kStreamed,  // a streaming blob payload (PutObject, UploadPart)
};
// The body handling an operation's model implies.
BodyKind BodyKindOf(const wire::Operation& op);

struct EndpointSpec {
  std::string_view name;  // the model operation
  OperationMeta meta;
  BodyKind body = BodyKind::kNone;
  // kNone / kBuffered: runs the operation on the decoded input.
  Result<http::Response> (*run)(S3Service&, Call&, const Document& input) = nullptr;
  // kStreamed: starts the operation; the sink takes the body.
  Result<std::unique_ptr<http::BodySink>> (*stream)(S3Service&, std::shared_ptr<Call>, const Document& input) = nullptr;
};

class EndpointTable {
 public:
  template <class Op, auto Fn>
  EndpointTable& Add(Endpoint e, OperationMeta meta);
  // A streamed upload: Fn returns Result<Upload<Op::Output>>.
  template <class Op, auto Fn>
  EndpointTable& AddUpload(Endpoint e, OperationMeta meta);

  // The row of a served endpoint (null for kNoRoute, kUnimplemented, kPreflight).
  const EndpointSpec* Find(Endpoint e) const {
    const EndpointSpec& s = rows_[static_cast<size_t>(e)];
    return s.run || s.stream ? &s : nullptr;
  }
  // OK when every endpoint has a row naming an operation of `model`, whose
  // body handling matches the model's.
  Status CheckAgainst(const wire::ServiceModel& model) const;

 private:
  std::array<EndpointSpec, static_cast<size_t>(Endpoint::kCount)> rows_{};
};

// The table of every served endpoint.
const EndpointTable& Endpoints();

// Finishes a response: CORS headers, request ids (x-amz-request-id, x-amz-id-2),
// x-crosskey-warning; an error becomes S3's error document.
http::Response Finish(S3Service& s, Call& c, Result<http::Response> r);
// S3's error document for `status` (with the call's error headers).
http::Response ErrorResponse(const Call& c, const Status& status);
// The request as the rest-xml codec decodes it (labels from the route; `body`
// the buffered payload, empty otherwise).
Result<Document> DecodeRequest(const Call& c, std::string_view body);

}  // namespace ck::services::s3
