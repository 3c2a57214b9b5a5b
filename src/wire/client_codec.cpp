#include "wire/client_codec.h"

#include <pugixml.hpp>

#include "base/codec.h"
#include "wire/json_codec.h"
#include "wire/scalars.h"
#include "wire/xml_body.h"
#include "wire/xml_writer.h"

namespace ck::wire {

using nlohmann::json;

namespace {

constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

Status BadInput(const std::string& what) { return InvalidArgument("cannot encode request: " + what); }
Status BadResponse(const std::string& what) { return Status(Code::kDataLoss, "unreadable response: " + what); }

// --- JSON ---------------------------------------------------------------

ClientRequest EncodeJson(const ServiceModel& model, const Operation& op, const json& input) {
  Operation as_output = op;  // the JSON encoder writes an operation's output shape
  as_output.output = op.input;
  ClientRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = EncodeJsonResponse(model, as_output, input);
  r.headers.Set("content-type", JsonContentType(model));
  r.headers.Set("x-amz-target", JsonTarget(model, op));
  return r;
}

// --- query --------------------------------------------------------------

void Flatten(const Shape& shape, const json& v, const std::string& key, bool flattened,
             std::vector<std::pair<std::string, std::string>>* out) {
  switch (shape.type) {
    case ShapeType::kStructure:
      for (const MemberRef& m : shape.members) {
        auto it = v.find(m.name);
        if (it == v.end() || it->is_null()) continue;
        Flatten(*m.shape, *it, key.empty() ? m.WireName() : key + "." + m.WireName(), m.flattened, out);
      }
      return;
    case ShapeType::kList: {
      if (v.empty()) {
        out->emplace_back(key, "");
        return;
      }
      bool flat = flattened || shape.flattened;
      std::string base = flat ? key : key + "." + (shape.member.location_name.empty() ? "member" : shape.member.location_name);
      for (size_t i = 0; i < v.size(); ++i)
        Flatten(*shape.member.shape, v[i], base + "." + std::to_string(i + 1), false, out);
      return;
    }
    case ShapeType::kMap: {
      bool flat = flattened || shape.flattened;
      std::string base = flat ? key : key + ".entry";
      std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      size_t i = 1;
      for (auto it = v.begin(); it != v.end(); ++it, ++i) {
        std::string entry = base + "." + std::to_string(i);
        out->emplace_back(entry + "." + key_name, it.key());
        Flatten(*shape.value.shape, it.value(), entry + "." + value_name, false, out);
      }
      return;
    }
    default:
      out->emplace_back(key, ScalarToText(shape, v, FormatFor(shape, TimestampFormat::kIso8601), false));
  }
}

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string body;
  for (const auto& [k, v] : params) body += (body.empty() ? "" : "&") + UriEncode(k) + "=" + UriEncode(v);
  return body;
}

ClientRequest EncodeQuery(const ServiceModel& model, const Operation& op, const json& input) {
  std::vector<std::pair<std::string, std::string>> params = {{"Action", op.name}, {"Version", model.api_version()}};
  if (op.input.shape) Flatten(*op.input.shape, input, "", false, &params);
  ClientRequest r;
  r.method = "POST";
  r.path = "/";
  r.body = FormEncode(params);
  r.headers.Set("content-type", "application/x-www-form-urlencoded; charset=utf-8");
  return r;
}

Result<json> DecodeQuery(const Operation& op, std::string_view body) {
  if (!op.output.shape) return json::object();
  pugi::xml_document xml;
  if (!xml.load_buffer(body.data(), body.size())) return BadResponse("malformed XML");
  std::string wrapper = op.output.result_wrapper.empty() ? op.name + "Result" : op.output.result_wrapper;
  pugi::xml_node result;
  for (pugi::xml_node n : xml.document_element().children())
    if (LocalName(n.name()) == wrapper) result = n;
  if (!result) return json::object();
  return ReadXmlValue(result, *op.output.shape, XmlStyle{}, BadResponse("unexpected XML for " + op.name));
}

// --- rest-xml -------------------------------------------------------------

std::string PayloadRoot(const MemberRef& payload, const Shape& shape) {
  if (!payload.location_name.empty()) return payload.location_name;
  return shape.location_name.empty() ? payload.name : shape.location_name;
}

std::string HeaderText(const Shape& s, const json& v) {
  if (s.type != ShapeType::kList) return ScalarToText(s, v, FormatFor(s, TimestampFormat::kRfc822), false);
  std::string text;
  for (const json& e : v) text += (text.empty() ? "" : ",") + ScalarToText(*s.member.shape, e, TimestampFormat::kRfc822, false);
  return text;
}

Status EncodeRestPath(const Operation& op, const json& input, ClientRequest* r) {
  for (const UriSegment& seg : op.path) {
    r->path += '/';
    if (seg.label.empty()) {
      r->path += seg.literal;
      continue;
    }
    const MemberRef* m = nullptr;
    if (op.input.shape)
      for (const MemberRef& c : op.input.shape->members)
        if (c.location == Location::kUri && c.WireName() == seg.label) m = &c;
    auto it = m ? input.find(m->name) : input.end();
    if (!m || it == input.end() || it->is_null()) return BadInput("missing label " + seg.label);
    r->path += UriEncode(ScalarToText(*m->shape, *it, TimestampFormat::kIso8601, false), /*encode_slash=*/!seg.greedy);
  }
  if (r->path.empty()) r->path = "/";
  for (const auto& [k, v] : op.uri_query) r->query.emplace_back(k, v);
  return Status::Ok();
}

void EncodeRestMember(const MemberRef& m, const json& v, ClientRequest* r) {
  const Shape& s = *m.shape;
  switch (m.location) {
    case Location::kQuerystring:
      if (s.type == ShapeType::kList) {
        for (const json& e : v) r->query.emplace_back(m.WireName(), ScalarToText(*s.member.shape, e, TimestampFormat::kIso8601, false));
      } else if (s.type == ShapeType::kMap) {
        for (auto it = v.begin(); it != v.end(); ++it) r->query.emplace_back(it.key(), it.value().get<std::string>());
      } else {
        r->query.emplace_back(m.WireName(), ScalarToText(s, v, FormatFor(s, TimestampFormat::kIso8601), false));
      }
      break;
    case Location::kHeader:
      r->headers.Set(ToLower(m.WireName()), HeaderText(s, v));
      break;
    case Location::kHeaders:
      for (auto it = v.begin(); it != v.end(); ++it)
        r->headers.Set(ToLower(m.WireName()) + it.key(), ScalarToText(*s.value.shape, it.value(), TimestampFormat::kRfc822, false));
      break;
    default:
      break;
  }
}

void EncodeRestPayload(const ServiceModel& model, const Shape& in, const json& input, ClientRequest* r) {
  const MemberRef* payload = in.PayloadMember();
  if (!payload) return;
  auto it = input.find(payload->name);
  if (it == input.end() || it->is_null()) return;
  const Shape& ps = *payload->shape;
  if (ps.type == ShapeType::kStructure) {
    XmlWriter w;
    std::string ns = !payload->xml_namespace.empty() ? payload->xml_namespace
                     : !ps.xml_namespace.empty()     ? ps.xml_namespace
                     : model.service() == "s3"       ? std::string(kS3Namespace)
                                                     : model.xml_namespace();
    WriteXmlValue(&w, PayloadRoot(*payload, ps), ps, *it, XmlStyle{.iso_millis = true}, ns);
    r->body = w.Take();
    r->headers.Set("content-type", "application/xml");
  } else if (ps.type == ShapeType::kString && it->is_string()) {
    r->body = it->get<std::string>();
  } else if (ps.type == ShapeType::kBlob && it->is_string()) {
    r->body = Base64Decode(it->get<std::string>()).value_or("");
  }
}

Result<ClientRequest> EncodeRestXml(const ServiceModel& model, const Operation& op, const json& input) {
  ClientRequest r;
  r.method = op.http_method;
  CK_RETURN_IF_ERROR(EncodeRestPath(op, input, &r));
  if (op.input.shape) {
    for (const MemberRef& m : op.input.shape->members) {
      auto it = input.find(m.name);
      if (it != input.end() && !it->is_null()) EncodeRestMember(m, *it, &r);
    }
    EncodeRestPayload(model, *op.input.shape, input, &r);
  }
  r.needs_content_md5 = op.request_checksum_required;
  return r;
}

void DecodeRestHeaders(const Shape& out, int status, const http::Headers& headers, json* doc) {
  for (const MemberRef& m : out.members) {
    const Shape& s = *m.shape;
    if (m.location == Location::kStatusCode) {
      (*doc)[m.name] = status;
    } else if (m.location == Location::kHeader) {
      auto h = headers.Get(ToLower(m.WireName()));
      if (!h) continue;
      if (s.type == ShapeType::kList) {
        json arr = json::array();
        for (std::string_view rest = *h;;) {
          size_t comma = rest.find(',');
          if (auto v = ScalarFromText(*s.member.shape, Trim(rest.substr(0, comma)), TimestampFormat::kRfc822)) arr.push_back(*v);
          if (comma == std::string_view::npos) break;
          rest.remove_prefix(comma + 1);
        }
        (*doc)[m.name] = std::move(arr);
      } else if (auto v = ScalarFromText(s, *h, TimestampFormat::kRfc822)) {
        (*doc)[m.name] = std::move(*v);
      }
    } else if (m.location == Location::kHeaders) {
      std::string prefix = ToLower(m.WireName());
      json map = json::object();
      for (const auto& [name, value] : headers.all())
        if (StartsWith(name, prefix) && name.size() > prefix.size()) map[name.substr(prefix.size())] = value;
      if (!map.empty()) (*doc)[m.name] = std::move(map);
    }
  }
}

Result<json> DecodeRestBody(const Shape& out, std::string_view body) {
  json doc = json::object();
  const MemberRef* payload = out.PayloadMember();
  if (payload && (payload->streaming || payload->shape->type == ShapeType::kBlob)) {
    if (!payload->streaming && !body.empty()) doc[payload->name] = Base64Encode(body);
    return doc;
  }
  if (payload && payload->shape->type == ShapeType::kString) {
    if (!body.empty()) doc[payload->name] = std::string(body);
    return doc;
  }
  if (Trim(body).empty()) return doc;
  pugi::xml_document xml;
  if (!xml.load_buffer(body.data(), body.size())) return BadResponse("malformed XML");
  pugi::xml_node root = xml.document_element();
  Status bad = BadResponse("unexpected XML");
  if (payload) {
    CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(root, *payload->shape, XmlStyle{}, bad));
    doc[payload->name] = std::move(v);
    return doc;
  }
  // GetBucketLocation: the root element is the value itself.
  if (out.members.size() == 1 && IsScalar(*out.members[0].shape) && LocalName(root.name()) == out.members[0].WireName()) {
    doc[out.members[0].name] = root.child_value();
    return doc;
  }
  return ReadXmlValue(root, out, XmlStyle{}, bad);
}

Result<json> DecodeRestXml(const Operation& op, int status, const http::Headers& headers, std::string_view body) {
  if (!op.output.shape) return json::object();
  CK_ASSIGN_OR_RETURN(json doc, DecodeRestBody(*op.output.shape, body));
  DecodeRestHeaders(*op.output.shape, status, headers, &doc);
  return doc;
}

// --- errors ---------------------------------------------------------------

Code CanonicalFor(int status, std::string_view code) {
  if (code == "Throttling" || code == "ThrottlingException" || code == "SlowDown" || code == "RequestLimitExceeded" ||
      code == "TooManyRequestsException" || code == "ProvisionedThroughputExceededException" || status == 429)
    return Code::kResourceExhausted;
  if (EndsWith(code, "NotFoundException") || StartsWith(code, "NoSuch") || code == "NotFound" || status == 404)
    return Code::kNotFound;
  if (status == 401 || code == "ExpiredToken" || code == "ExpiredTokenException" || code == "InvalidClientTokenId" ||
      code == "SignatureDoesNotMatch" || code == "InvalidAccessKeyId" || code == "UnrecognizedClientException")
    return Code::kUnauthenticated;
  if (status == 403 || StartsWith(code, "AccessDenied")) return Code::kPermissionDenied;
  if (status == 503) return Code::kUnavailable;
  if (status >= 500) return Code::kInternal;
  if (status == 409) return Code::kAlreadyExists;
  if (status == 412) return Code::kFailedPrecondition;
  if (status == 301 || status == 307) return Code::kFailedPrecondition;  // S3 redirects
  return Code::kInvalidArgument;
}

std::string StatusText(int status) {
  switch (status) {
    case 301: return "PermanentRedirect";
    case 304: return "NotModified";
    case 400: return "BadRequest";
    case 403: return "Forbidden";
    case 404: return "NotFound";
    case 405: return "MethodNotAllowed";
    case 412: return "PreconditionFailed";
    case 503: return "ServiceUnavailable";
    default: return std::to_string(status);
  }
}

}  // namespace

std::string ClientRequest::Target() const {
  std::string t = path;
  for (size_t i = 0; i < query.size(); ++i) {
    t += i ? "&" : "?";
    t += UriEncode(query[i].first) + "=" + UriEncode(query[i].second);
  }
  return t;
}

Result<ClientRequest> EncodeClientRequest(const ServiceModel& model, const Operation& op, const json& input) {
  switch (model.protocol()) {
    case Protocol::kJson: return EncodeJson(model, op, input);
    case Protocol::kQuery: return EncodeQuery(model, op, input);
    case Protocol::kRestXml: return EncodeRestXml(model, op, input);
    default: return Unimplemented("protocol " + model.protocol_name() + " has no client codec");
  }
}

Result<json> DecodeClientResponse(const ServiceModel& model, const Operation& op, int status,
                                  const http::Headers& headers, std::string_view body) {
  switch (model.protocol()) {
    case Protocol::kJson: {
      if (Trim(body).empty()) return json::object();
      json parsed = json::parse(body, nullptr, /*allow_exceptions=*/false);
      if (parsed.is_discarded() || !parsed.is_object()) return BadResponse("malformed JSON");
      return parsed;
    }
    case Protocol::kQuery: return DecodeQuery(op, body);
    case Protocol::kRestXml: return DecodeRestXml(op, status, headers, body);
    default: return Unimplemented("protocol " + model.protocol_name() + " has no client codec");
  }
}

Status DecodeClientError(const ServiceModel& model, int status, const http::Headers& headers, std::string_view body) {
  std::string code, message;
  std::vector<std::pair<std::string, std::string>> fields;
  if (model.protocol() == Protocol::kJson) {
    json parsed = json::parse(body, nullptr, false);
    std::string type = headers.GetOr("x-amzn-errortype");
    if (parsed.is_object()) {
      for (auto it = parsed.begin(); it != parsed.end(); ++it) {
        if (!it->is_string()) continue;
        std::string k = ToLower(it.key());
        if (k == "__type" || k == "code") type = it->get<std::string>();
        else if (k == "message") message = it->get<std::string>();
      }
    }
    if (auto hash = type.rfind('#'); hash != std::string::npos) type = type.substr(hash + 1);
    code = type.substr(0, type.find(':'));
  } else {
    pugi::xml_document xml;
    if (!body.empty() && xml.load_buffer(body.data(), body.size())) {
      pugi::xml_node err = xml.document_element();
      if (LocalName(err.name()) != "Error") err = err.child("Error");
      for (pugi::xml_node n : err.children()) {
        std::string name(LocalName(n.name()));
        if (name == "Code") code = n.child_value();
        else if (name == "Message") message = n.child_value();
        else if (name != "RequestId" && name != "HostId" && name != "Type") fields.emplace_back(name, n.child_value());
      }
    }
  }
  if (code.empty()) code = StatusText(status);
  if (model.protocol() == Protocol::kRestXml && headers.Has("x-amz-bucket-region"))
    fields.emplace_back("Region", headers.GetOr("x-amz-bucket-region"));
  Status s = Status(CanonicalFor(status, code), message).WithAws(code, status);
  for (auto& [k, v] : fields) s.WithField(k, v);
  return s;
}

}  // namespace ck::wire
