// One KMS call in flight, and its CloudTrail record.
//
// Every KMS call, from the JSON API or in-process, runs inside
// CallRecorder::Run: the operation body fills a KmsCall (the keys it used,
// what CloudTrail shows of the request and the response) and Run records the
// event when the body returns, success or error. The event goes to the
// caller's account and, for allowed use of another account's key, to the key
// owner's as well (AWS-SEMANTICS §6); a denial is recorded only for the
// caller.
//
// Thread safety: CallRecorder is safe for concurrent use (the EventRecorder
// is); a KmsCall belongs to one call.
#pragma once

#include <string>
#include <string_view>
#include <utility>

#include "base/clock.h"
#include "base/fields.h"
#include "core/kms/operations.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/kms/key_store.h"
#include "services/kms/kms_client.h"
#include "wire/json_writer.h"

namespace ck::services::kms {

struct KmsCall {
  KmsCall(const KmsCaller& caller, const core::kms::OperationSpec& op, TimePoint now)
      : caller(caller), op(op), now(now) {}

  const KmsCaller& caller;
  const core::kms::OperationSpec& op;  // the API operation: eventName, readOnly
  TimePoint now;
  // CloudTrail requestParameters (lowerCamelCase, no secrets) and
  // responseElements (null for most operations).
  Document params = nullptr;
  Document response = nullptr;
  // Decrypt and ReEncrypt without a key id: the key the blob names, shown as
  // requestParameters.keyId.
  std::string blob_key_arn;
  // The keys the call used: resources of the event, owners that receive it.
  KeyPtr key;
  KeyPtr extra_key;  // ReEncrypt's destination, UpdateAlias's previous target

  // The first key a call resolves is its key; a second is its extra key.
  void Use(const KeyPtr& k) { (key ? extra_key : key) = k; }
};

// CloudTrail's requestParameters of a request document (the generated
// shape's document): lowerCamelCase member names, without plaintext,
// ciphertext, signatures or tokens; encryption contexts as given.
Document RequestParameters(const Document& request);

class CallRecorder {
 public:
  CallRecorder(cloudtrail::EventRecorder& events, const Clock& clock) : events_(events), clock_(clock) {}

  // Runs body(KmsCall&) as one call of `op` and records it. The
  // requestParameters are c.params (initially `params`, the request's
  // RequestParameters), with blob_key_arn as keyId when the call found one.
  template <typename T, typename Body>
  Result<T> Run(const core::kms::OperationSpec& op, const KmsCaller& caller, Document params, Body&& body) {
    return RunRendered<T>(op, caller, RenderParams, [&](KmsCall& c) {
      c.params = std::move(params);
      return body(c);
    });
  }

  // As Run, with the requestParameters render(const KmsCall&,
  // wire::JsonWriter&) writes (the in-process hot path builds no document).
  template <typename T, typename Render, typename Body>
  Result<T> RunRendered(const core::kms::OperationSpec& op, const KmsCaller& caller, Render&& render, Body&& body) {
    KmsCall c(caller, op, clock_.Now());
    Result<T> r = body(c);
    wire::JsonWriter w;
    render(static_cast<const KmsCall&>(c), w);
    Record(c, r.status(), w.Take());
    return r;
  }

 private:
  static void RenderParams(const KmsCall& c, wire::JsonWriter& w);
  void Record(const KmsCall& c, const Status& status, const std::string& request_parameters);

  cloudtrail::EventRecorder& events_;
  const Clock& clock_;
};

}  // namespace ck::services::kms
