// The JSON and query protocol adapter: buffers the body (up to the limit),
// finishes authentication over the body's hash when it was deferred, decodes
// the input with the service model, runs the service's operation, and encodes
// the output.
#include <spdlog/spdlog.h>

#include <algorithm>

#include "base/codec.h"
#include "crypto/hash.h"
#include "services/gateway/gateway.h"
#include "wire/errors.h"
#include "wire/json_codec.h"
#include "wire/query_codec.h"
#include "services/gateway/errors.h"

namespace ck::services {

namespace {

struct Decoded {
  const wire::Operation* op = nullptr;
  Document input;
};

Result<Decoded> DecodeJson(const wire::ServiceModel& model, const Route& route, std::string_view body) {
  Decoded d;
  d.op = model.FindOperation(route.operation);
  if (!d.op) return wire::UnknownJsonOperation();
  CK_ASSIGN_OR_RETURN(d.input, wire::DecodeJsonRequest(model, *d.op, body));
  return d;
}

Result<Decoded> DecodeQuery(const wire::ServiceModel& model, const http::RequestHead& head, std::string_view body,
                            std::string* action) {
  auto form = wire::ParseForm(head.method == "GET" ? std::string_view(head.raw_query) : body);
  if (!form) return gateway::errors::MalformedQueryString("Malformed form body");
  for (const auto& [k, v] : *form)
    if (k == "Action") *action = v;
  Decoded d;
  d.op = model.FindOperation(*action);
  if (!d.op) return wire::QueryInvalidAction(*action, model.api_version());
  std::erase_if(*form, [](const auto& kv) { return kv.first == "Action" || kv.first == "Version"; });
  CK_ASSIGN_OR_RETURN(d.input, wire::DecodeQueryRequest(model, *d.op, *form));
  return d;
}

Status NotImplementedFor(const Route& route, std::string message) {
  return gateway::errors::NotImplementedFor(route.protocol, std::move(message));
}

class BufferedCall final : public http::BodySink {
 public:
  BufferedCall(Gateway& gw, Route route, RequestContext ctx, Authenticated who, std::shared_ptr<RequestTrace> trace)
      : gw_(gw), route_(std::move(route)), ctx_(std::move(ctx)), who_(std::move(who)), trace_(std::move(trace)) {}

  Status Write(std::string_view chunk) override {
    if (body_.size() + chunk.size() > gw_.options().max_buffered_body) {
      too_large_ = true;
      return gateway::errors::RequestEntityTooLarge("Request body too large");
    }
    body_.append(chunk);
    return Status::Ok();
  }

  http::Response Finish() override {
    http::Response r = Answer();
    trace_->SetOperation(ctx_.operation);
    trace_->Finish(r, body_.size(), r.body.size(), ctx_.log_note);
    return r;
  }

 private:
  http::Response Answer() {
    const http::RequestHead& head = *ctx_.head;
    if (too_large_)
      return gw_.Error(route_, head,
                       gateway::errors::BodyTooLarge(route_.protocol, "Request body exceeds the maximum size of " +
                                                                          std::to_string(gw_.options().max_buffered_body) +
                                                                          " bytes"));
    Status verified = gw_.authenticator().VerifyBody(route_, head, who_, HexEncode(crypto::Sha256(body_)));
    if (!verified.ok()) return gw_.Error(route_, head, verified);
    return Guarded(*trace_, [&] { return Invoke(); }, [&](const std::string& what) {
      spdlog::error("{} exception escaped {} {}: {}", head.request_id, route_.service, ctx_.operation, what);
      return gw_.Error(route_, head, Internal("exception in " + route_.service + ": " + what));
    });
  }

  http::Response Invoke() {
    const http::RequestHead& head = *ctx_.head;
    const wire::ServiceModel* model = wire::FindService(route_.service);
    if (route_.unknown || !model) {
      if (route_.protocol == Protocol::kJson) return gw_.Error(route_, head, wire::UnknownJsonOperation());
      return gw_.Error(route_, head, wire::QueryInvalidAction(route_.operation, model ? model->api_version() : ""));
    }
    ctx_.operation = route_.operation;
    auto decoded = route_.protocol == Protocol::kJson ? DecodeJson(*model, route_, body_)
                                                      : DecodeQuery(*model, head, body_, &ctx_.operation);
    if (!decoded.ok()) return gw_.Error(route_, head, decoded.status());
    Service* service = gw_.FindService(route_.service);
    if (!service) return gw_.Error(route_, head, NotImplementedFor(route_, "crosskey does not implement " + route_.service + " yet"));
    auto output = service->Invoke(ctx_.operation, decoded->input, ctx_);
    if (!output.ok()) {
      Status s = output.status();
      if (s.code() == Code::kUnimplemented && s.aws_code().empty()) s = NotImplementedFor(route_, s.message());
      return gw_.Error(route_, head, std::move(s));
    }
    http::Response r;
    if (route_.protocol == Protocol::kJson) {
      r.body = wire::EncodeJsonResponse(*model, *decoded->op, *output);
      r.headers.Set("Content-Type", route_.json_1_0 ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1");
    } else {
      r.body = wire::EncodeQueryResponse(*model, *decoded->op, *output, head.request_id);
      r.headers.Set("Content-Type", "text/xml");
    }
    r.headers.Set("x-amzn-RequestId", head.request_id);
    return r;
  }

  Gateway& gw_;
  Route route_;
  RequestContext ctx_;
  Authenticated who_;
  std::shared_ptr<RequestTrace> trace_;
  std::string body_;
  bool too_large_ = false;
};

}  // namespace

std::unique_ptr<http::BodySink> MakeBufferedCall(Gateway& gw, Route route, RequestContext ctx, Authenticated who,
                                                 std::shared_ptr<RequestTrace> trace) {
  return std::make_unique<BufferedCall>(gw, std::move(route), std::move(ctx), std::move(who), std::move(trace));
}

}  // namespace ck::services
