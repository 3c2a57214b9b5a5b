#include "services/kms/kms_call.h"

#include <span>

#include "core/ids.h"

namespace ck::services::kms {

namespace {

// Members whose value is the user's map, kept as given.
bool IsUserMap(std::string_view member) {
  return member == "EncryptionContext" || member == "SourceEncryptionContext" ||
         member == "DestinationEncryptionContext" || member == "EncryptionContextSubset" ||
         member == "EncryptionContextEquals";
}

// Members CloudTrail never shows.
bool IsSensitive(std::string_view member) {
  return member == "Plaintext" || member == "CiphertextBlob" || member == "Message" || member == "Signature" ||
         member == "Mac" || member == "ImportToken" || member == "EncryptedKeyMaterial" || member == "GrantToken";
}

std::string LowerFirst(const std::string& s) {
  std::string out = s;
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] + 32);
  return out;
}

}  // namespace

Document RequestParameters(const Document& in) {
  if (in.is_array()) {
    Document out = Document::array();
    for (const auto& v : in) out.push_back(RequestParameters(v));
    return out;
  }
  if (!in.is_object()) return in;
  Document out = Document::object();
  for (const auto& [k, v] : in.items()) {
    if (IsSensitive(k)) continue;
    out[LowerFirst(k)] = IsUserMap(k) ? v : RequestParameters(v);
  }
  return out;
}

void CallRecorder::RenderParams(const KmsCall& c, wire::JsonWriter& w) {
  if (c.blob_key_arn.empty()) {
    w.Value(c.params);
    return;
  }
  Document with_key = c.params;
  with_key.update(Document{{"keyId", c.blob_key_arn}});
  w.Value(with_key);
}

void CallRecorder::Record(const KmsCall& c, const Status& status, const std::string& request_parameters) {
  cloudtrail::ApiEvent e;
  e.time = c.now;
  e.event_source = "kms.amazonaws.com";
  e.event_name = c.op.name;
  e.region = c.caller.region;
  e.source_ip = c.caller.source_ip;
  e.user_agent = c.caller.user_agent;
  e.principal = &c.caller.principal;
  e.invoked_by = c.caller.invoked_by;
  if (request_parameters != "{}" && request_parameters != "null") e.request_parameters = request_parameters;
  std::string response;
  if (!c.response.is_null()) response = wire::JsonWriter().Value(c.response).Take();
  e.response_elements = response;
  std::string request_id = c.caller.request_id.empty() ? ids::Uuid4() : "";
  e.request_id = c.caller.request_id.empty() ? std::string_view(request_id) : c.caller.request_id;
  e.read_only = c.op.read_only;
  cloudtrail::EventResource resources[2];
  std::string_view recipients[3] = {c.caller.principal.account};
  size_t n_resources = 0, n_recipients = 1;
  // AWS-SEMANTICS §6: denied cross-account requests are logged only in the caller's account.
  const bool denied = status.code() == Code::kPermissionDenied;
  for (const KeyPtr* k : {&c.key, &c.extra_key}) {
    if (!*k) continue;
    resources[n_resources++] = {(*k)->arn, (*k)->account, "AWS::KMS::Key"};
    if (!denied) recipients[n_recipients++] = (*k)->account;
  }
  e.resources = std::span(resources, n_resources);
  e.recipients = std::span(recipients, n_recipients);
  std::string error_code;
  if (!status.ok()) {
    error_code = status.aws_code().empty() ? "InternalFailure" : status.aws_code();
    e.error_code = error_code;
    e.error_message = status.message();
  }
  if (c.key && c.key->symmetric() && !c.key->materials.empty() && status.ok()) {
    thread_local std::string additional;  // the event is encoded before Record returns
    additional.assign(R"({"keyMaterialId":)");
    wire::JsonWriter::AppendQuoted(c.key->Current().material_id, &additional);
    additional.push_back('}');
    e.additional_event_data = additional;
  }
  events_.Record(e);
}

}  // namespace ck::services::kms
