#include "wire/json_codec.h"

#include <cmath>

#include "base/codec.h"
#include "wire/json_limits.h"
#include "wire/scalars.h"
#include "wire/validate.h"

namespace ck::wire {

using nlohmann::json;

namespace {

Status SerializationError(std::string message) {
  return AwsError("SerializationException", 400, std::move(message));
}

const char* TokenName(const json& v) {
  if (v.is_string()) return "STRING_VALUE";
  if (v.is_number()) return "NUMBER_VALUE";
  if (v.is_boolean()) return "BOOLEAN_VALUE";
  return "VALUE";
}

// Coral's wording for a value of the wrong JSON type.
Status WrongType(const json& v, const char* target) {
  if (v.is_object()) return SerializationError("Start of structure or map found where not expected.");
  if (v.is_array()) return SerializationError("Start of list found where not expected");
  return SerializationError(std::string(TokenName(v)) + " can not be converted to " + target);
}

// An Integer or Long member: a JSON integer in range, or a whole number
// written as a float (1e3), range-checked before it is converted
// (json_codec_fuzz: 8.9e104 for a Long overflowed the conversion).
Result<json> ConvertInteger(const Shape& shape, const json& v) {
  const bool is_int = shape.type == ShapeType::kInteger;
  auto out_of_range = [&] {
    return SerializationError(is_int ? "Numeric value out of range of int" : "Numeric value out of range of long");
  };
  if (v.is_number_unsigned() && v.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX)) return out_of_range();
  if (v.is_number_integer() || v.is_number_unsigned()) {
    if (is_int && (v.get<int64_t>() > INT32_MAX || v.get<int64_t>() < INT32_MIN)) return out_of_range();
    return json(v.get<int64_t>());
  }
  if (v.is_number_float() && std::floor(v.get<double>()) == v.get<double>()) {
    double d = v.get<double>();
    double limit = is_int ? 2147483648.0 : 9223372036854775808.0;  // 2^31, 2^63
    if (d >= limit || d < -limit) return out_of_range();
    return json(static_cast<int64_t>(d));
  }
  return WrongType(v, is_int ? "an Integer" : "a Long");
}

Result<json> Convert(const Shape& shape, const json& v) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (!v.is_object()) {
        if (v.is_array()) return SerializationError("Start of list found where not expected");
        return SerializationError(std::string(TokenName(v)) + " can not be converted to a Structure");
      }
      json out = json::object();
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.WireName());
        if (it == v.end() || it->is_null()) continue;
        CK_ASSIGN_OR_RETURN(json c, Convert(*m.shape, *it));
        out[m.name] = std::move(c);
      }
      return out;
    }
    case ShapeType::kList: {
      if (!v.is_array()) {
        if (v.is_object()) return SerializationError("Start of structure or map found where not expected.");
        return SerializationError(std::string(TokenName(v)) + " can not be converted to a List");
      }
      json out = json::array();
      for (const json& e : v) {
        if (e.is_null()) continue;
        CK_ASSIGN_OR_RETURN(json c, Convert(*shape.member.shape, e));
        out.push_back(std::move(c));
      }
      return out;
    }
    case ShapeType::kMap: {
      if (!v.is_object()) {
        if (v.is_array()) return SerializationError("Start of list found where not expected");
        return SerializationError(std::string(TokenName(v)) + " can not be converted to a Map");
      }
      json out = json::object();
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (it->is_null()) continue;
        CK_ASSIGN_OR_RETURN(json c, Convert(*shape.value.shape, *it));
        out[it.key()] = std::move(c);
      }
      return out;
    }
    case ShapeType::kString:
      if (!v.is_string()) return WrongType(v, "a String");
      return v;
    case ShapeType::kInteger:
    case ShapeType::kLong:
      return ConvertInteger(shape, v);
    case ShapeType::kFloat:
    case ShapeType::kDouble:
      if (!v.is_number()) return WrongType(v, shape.type == ShapeType::kFloat ? "a Float" : "a Double");
      return json(v.get<double>());
    case ShapeType::kBoolean:
      if (!v.is_boolean()) return WrongType(v, "a Boolean");
      return v;
    case ShapeType::kTimestamp: {
      if (v.is_number()) return json(v.get<double>());
      if (v.is_string()) {
        auto t = ParseTimestamp(v.get<std::string>(), TimestampFormat::kUnix);
        if (t) return json(*t);
      }
      return WrongType(v, "a Timestamp");
    }
    case ShapeType::kBlob: {
      if (!v.is_string()) return WrongType(v, "a Blob");
      // Exact AWS text for bad base64 is not known; the code is.
      if (!Base64Decode(v.get<std::string>())) return SerializationError("Base64 encoded value is not valid");
      return v;
    }
    case ShapeType::kDocument:
      return v;
  }
  return v;
}

json Encode(const Shape& shape, const json& v) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      json out = json::object();
      if (!v.is_object()) return out;
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        out[m.WireName()] = Encode(*m.shape, *it);
      }
      return out;
    }
    case ShapeType::kList: {
      json out = json::array();
      if (v.is_array())
        for (const json& e : v) out.push_back(Encode(*shape.member.shape, e));
      return out;
    }
    case ShapeType::kMap: {
      json out = json::object();
      if (v.is_object())
        for (auto it = v.begin(); it != v.end(); ++it) out[it.key()] = Encode(*shape.value.shape, *it);
      return out;
    }
    case ShapeType::kTimestamp:
      if (v.is_string()) {
        auto t = ParseTimestamp(v.get<std::string>(), TimestampFormat::kIso8601);
        if (t) return json(*t);
      }
      return v;
    default:
      return v;
  }
}

// A document past the depth limit. DynamoDB's AttributeValue is the one
// recursive shape in the embedded models, so there such a document is an
// attribute value nested far past DynamoDB's 32 levels: refused as DynamoDB
// refuses one. Elsewhere it cannot match the model. (AWS's answer to a
// document this deep is not known; these are the nearest documented ones.)
Status TooDeep(const ServiceModel& model) {
  if (model.service() == "dynamodb")
    return AwsError("ValidationException", 400,
                    "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels "
                    "beyond supported limit");
  return SerializationError("The request document is nested too deeply");
}

}  // namespace

Result<json> DecodeJsonRequest(const ServiceModel& model, const Operation& op, std::string_view body) {
  json parsed = json::object();
  if (body.size() > kMaxJsonBytes) return SerializationError("The request document is too large");
  if (JsonNestingDepth(body, kMaxJsonDepth) > kMaxJsonDepth) return TooDeep(model);
  if (!Trim(body).empty()) {
    parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
    // The exact AWS message for unparseable JSON is not known.
    if (parsed.is_discarded()) return SerializationError("Malformed JSON request body");
  }
  if (!op.input.shape) {
    if (!parsed.is_object()) return SerializationError("Start of list found where not expected");
    return json::object();
  }
  CK_ASSIGN_OR_RETURN(json doc, Convert(*op.input.shape, parsed));
  CK_RETURN_IF_ERROR(ValidateInput(*op.input.shape, doc, "ValidationException"));
  return doc;
}

std::string EncodeJsonResponse(const ServiceModel& model, const Operation& op, const json& output) {
  if (!op.output.shape) return "{}";
  return Encode(*op.output.shape, output).dump(-1, ' ', false, json::error_handler_t::replace);
}

std::string JsonTarget(const ServiceModel& model, const Operation& op) {
  return model.target_prefix() + "." + op.name;
}

const Operation* FindJsonOperation(const ServiceModel& model, std::string_view target) {
  size_t dot = target.rfind('.');
  if (dot == std::string_view::npos || target.substr(0, dot) != model.target_prefix()) return nullptr;
  return model.FindOperation(target.substr(dot + 1));
}

std::string JsonContentType(const ServiceModel& model) {
  return "application/x-amz-json-" + (model.json_version().empty() ? std::string("1.1") : model.json_version());
}

}  // namespace ck::wire
