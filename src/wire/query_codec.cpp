#include "wire/query_codec.h"

#include "http/message.h"

#include <map>

#include "base/codec.h"
#include "wire/scalars.h"
#include "wire/validate.h"
#include "wire/xml_body.h"
#include "wire/xml_writer.h"

namespace ck::wire {

using nlohmann::json;

namespace {

using Params = std::map<std::string, std::string, std::less<>>;

bool HasPrefix(const Params& p, const std::string& prefix) {
  auto it = p.lower_bound(prefix);
  return it != p.end() && StartsWith(it->first, prefix);
}

class QueryReader {
 public:
  explicit QueryReader(const Params& p) : p_(p) {}

  // Fills *out when anything for `key` is present.
  Status Read(const Shape& shape, const std::string& key, const std::string& path, bool flattened, json* out) {
    switch (shape.type) {
      case ShapeType::kStructure: {
        json obj = json::object();
        bool any = false;
        for (const MemberRef& m : shape.members) {
          std::string child = key.empty() ? m.WireName() : key + "." + m.WireName();
          json v;
          std::string child_path = path.empty() ? CamelMember(m.name) : path + "." + CamelMember(m.name);
          CK_RETURN_IF_ERROR(Read(*m.shape, child, child_path, m.flattened, &v));
          if (!v.is_null()) {
            obj[m.name] = std::move(v);
            any = true;
          }
        }
        if (any || key.empty() || p_.count(key)) *out = std::move(obj);
        return Status::Ok();
      }
      case ShapeType::kList: {
        bool flat = flattened || shape.flattened;
        std::string base = flat ? key : key + "." + (shape.member.location_name.empty() ? "member" : shape.member.location_name);
        json arr = json::array();
        for (size_t i = 1;; ++i) {
          std::string item = base + "." + std::to_string(i);
          if (!p_.count(item) && !HasPrefix(p_, item + ".")) break;
          json v;
          CK_RETURN_IF_ERROR(Read(*shape.member.shape, item, path + "." + std::to_string(i) + ".member", false, &v));
          arr.push_back(v.is_null() ? json::object() : std::move(v));
        }
        // "Name=" (botocore's encoding of an empty list) yields [].
        if (!arr.empty() || p_.count(key)) *out = std::move(arr);
        return Status::Ok();
      }
      case ShapeType::kMap: {
        bool flat = flattened || shape.flattened;
        std::string base = flat ? key : key + ".entry";
        const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
        const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
        json obj = json::object();
        bool any = false;
        for (size_t i = 1;; ++i) {
          std::string entry = base + "." + std::to_string(i);
          if (!HasPrefix(p_, entry + ".")) break;
          any = true;
          auto k = p_.find(entry + "." + key_name);
          if (k == p_.end()) continue;
          json v;
          CK_RETURN_IF_ERROR(Read(*shape.value.shape, entry + "." + value_name, path + "." + k->second, false, &v));
          obj[k->second] = v.is_null() ? json("") : std::move(v);
        }
        if (any || p_.count(key)) *out = std::move(obj);
        return Status::Ok();
      }
      default: {
        auto it = p_.find(key);
        if (it == p_.end()) return Status::Ok();
        auto v = ScalarFromText(shape, it->second, TimestampFormat::kIso8601);
        if (!v) {
          // AWS's exact text for an unconvertible value is not known; the
          // code and the "validation error detected" framing are.
          return AwsError("ValidationError", 400,
                          FormatViolations({"Value '" + it->second + "' at '" + path +
                                            "' failed to satisfy constraint: Member must be a valid " +
                                            (shape.type == ShapeType::kBoolean ? "boolean" :
                                             shape.type == ShapeType::kTimestamp ? "timestamp" :
                                             shape.type == ShapeType::kBlob ? "base64 value" : "number")}));
        }
        *out = std::move(*v);
        return Status::Ok();
      }
    }
  }

 private:
  const Params& p_;
};

}  // namespace

Result<json> DecodeQueryRequest(const ServiceModel& model, const Operation& op, const FormParams& form) {
  if (!op.input.shape) return json::object();
  Params params;
  for (const auto& [k, v] : form) params.emplace(k, v);  // first value wins
  QueryReader reader(params);
  json doc;
  CK_RETURN_IF_ERROR(reader.Read(*op.input.shape, "", "", false, &doc));
  if (doc.is_null()) doc = json::object();
  CK_RETURN_IF_ERROR(ValidateInput(*op.input.shape, doc, "ValidationError",
                                   model.service() == "iam" ? IamValidationStyle() : ValidationStyle{}));
  return doc;
}

std::string EncodeQueryResponse(const ServiceModel& model, const Operation& op, const json& output,
                                std::string_view request_id) {
  XmlWriter w;
  std::string root = op.name + "Response";
  w.BeginOpen(root);
  if (!model.xml_namespace().empty()) w.Attribute("xmlns", model.xml_namespace());
  w.EndOpen();
  if (op.output.shape) {
    std::string wrapper = op.output.result_wrapper.empty() ? op.name + "Result" : op.output.result_wrapper;
    XmlStyle style;
    w.Open(wrapper);
    WriteXmlMembers(&w, *op.output.shape, output, style);
    w.Close(wrapper);
  }
  w.Open("ResponseMetadata");
  w.Element("RequestId", request_id);
  w.Close("ResponseMetadata");
  w.Close(root);
  return w.Take();
}

std::optional<FormParams> ParseForm(std::string_view body) {
  auto params = http::ParseQueryString(body);
  if (!params) return std::nullopt;
  FormParams out;
  out.reserve(params->size());
  for (auto& p : *params) {
    // Parameters become stored text (IAM tags, policy names): UTF-8 only.
    if (!IsValidUtf8(p.name) || !IsValidUtf8(p.value)) return std::nullopt;
    out.emplace_back(std::move(p.name), std::move(p.value));
  }
  return out;
}

}  // namespace ck::wire
