#include "wire/rest_xml_codec.h"

#include <pugixml.hpp>

#include "base/codec.h"
#include "wire/scalars.h"
#include "wire/xml_body.h"
#include "wire/xml_writer.h"

namespace ck::wire {

using nlohmann::json;

namespace {

constexpr std::string_view kS3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/";

// Deepest element nesting accepted in a request body; S3's request documents
// are a few levels deep (LifecycleConfiguration is the deepest, about 7).
constexpr size_t kMaxXmlDepth = 64;

// Parses a request body: well-formed UTF-8 (pugixml passes bytes through and
// the values become stored text), within the depth limit (pugixml parses
// without recursion; the depth is measured the same way, before the decoder
// walks the tree). Anything else is S3's MalformedXML. Text that is only
// whitespace is kept when it is an element's whole content (`<Key> </Key>` is
// the key " "); whitespace between elements is not content.
Status LoadXml(std::string_view body, pugi::xml_document* xml) {
  if (!IsValidUtf8(body)) return MalformedXml();
  if (!xml->load_buffer(body.data(), body.size(), pugi::parse_default | pugi::parse_ws_pcdata_single,
                        pugi::encoding_utf8))
    return MalformedXml();
  size_t depth = 0;
  pugi::xml_node n = xml->first_child();
  while (n) {
    if (n.first_child()) {
      n = n.first_child();
      if (++depth > kMaxXmlDepth) return MalformedXml();
      continue;
    }
    while (n && !n.next_sibling()) {
      n = n.parent();
      if (depth == 0) return Status::Ok();
      --depth;
    }
    if (n) n = n.next_sibling();
  }
  return Status::Ok();
}

Status BadValue(const MemberRef& m, std::string_view value) {
  return AwsError("InvalidArgument", 400, "Invalid value '" + std::string(value) + "' for " + m.WireName())
      .WithField("ArgumentName", m.WireName())
      .WithField("ArgumentValue", std::string(value));
}

// Header lists are comma-separated.
std::optional<json> HeaderValue(const Shape& s, std::string_view text) {
  if (s.type == ShapeType::kList && s.member.shape) {
    json arr = json::array();
    while (true) {
      size_t comma = text.find(',');
      auto v = ScalarFromText(*s.member.shape, Trim(text.substr(0, comma)), TimestampFormat::kRfc822);
      if (!v) return std::nullopt;
      arr.push_back(std::move(*v));
      if (comma == std::string_view::npos) break;
      text.remove_prefix(comma + 1);
    }
    return arr;
  }
  return ScalarFromText(s, text, TimestampFormat::kRfc822);
}

std::string RootName(const MemberRef* payload, const Shape& shape) {
  if (payload) return payload->location_name.empty() ? (shape.location_name.empty() ? payload->name : shape.location_name)
                                                     : payload->location_name;
  if (!shape.location_name.empty()) return shape.location_name;
  std::string n = shape.name;
  if (EndsWith(n, "Output")) n = n.substr(0, n.size() - 6) + "Result";
  if (EndsWith(n, "Request")) n = n.substr(0, n.size() - 7);
  return n;
}

std::string RootNamespace(const ServiceModel& model, const MemberRef* payload, const Shape& shape) {
  if (payload && !payload->xml_namespace.empty()) return payload->xml_namespace;
  if (!shape.xml_namespace.empty()) return shape.xml_namespace;
  if (model.service() == "s3") return std::string(kS3Namespace);
  return model.xml_namespace();
}

bool HasBodyMembers(const Shape& shape) {
  for (const MemberRef& m : shape.members)
    if (m.location == Location::kBody) return true;
  return false;
}

}  // namespace

Status MalformedXml() {
  return AwsError("MalformedXML", 400,
                  "The XML you provided was not well-formed or did not validate against our published schema");
}

namespace {

// A querystring map takes every parameter not bound to another member.
json UnboundQuery(const Shape& in, const MemberRef& m, const http::RequestHead& head) {
  json obj = json::object();
  for (const auto& q : head.query) {
    bool bound = false;
    for (const MemberRef& o : in.members)
      bound = bound || (o.location == Location::kQuerystring && &o != &m && o.WireName() == q.name);
    if (!bound) obj[q.name] = q.value;
  }
  return obj;
}

// One input member bound to the URI, the query string or headers.
Status DecodeBoundMember(const Shape& in, const MemberRef& m, const http::RequestHead& head,
                         const std::map<std::string, std::string>& labels, json* doc) {
  const Shape& s = *m.shape;
  switch (m.location) {
    case Location::kUri: {
      auto it = labels.find(m.WireName());
      if (it == labels.end()) return Status::Ok();
      auto v = ScalarFromText(s, it->second, TimestampFormat::kIso8601);
      if (!v) return BadValue(m, it->second);
      (*doc)[m.name] = std::move(*v);
      return Status::Ok();
    }
    case Location::kQuerystring: {
      if (s.type == ShapeType::kMap) {
        json obj = UnboundQuery(in, m, head);
        if (!obj.empty()) (*doc)[m.name] = std::move(obj);
        return Status::Ok();
      }
      json arr = json::array();
      for (const auto& q : head.query) {
        if (q.name != m.WireName()) continue;
        const Shape& item = s.type == ShapeType::kList ? *s.member.shape : s;
        auto v = ScalarFromText(item, q.value, TimestampFormat::kIso8601);
        // An empty number parameter is taken as absent, as S3 takes it (part-number-marker=).
        if (!v && q.value.empty() && (item.type == ShapeType::kInteger || item.type == ShapeType::kLong)) continue;
        if (!v) return BadValue(m, q.value);
        if (s.type != ShapeType::kList) {
          (*doc)[m.name] = std::move(*v);
          return Status::Ok();
        }
        arr.push_back(std::move(*v));
      }
      if (!arr.empty()) (*doc)[m.name] = std::move(arr);
      return Status::Ok();
    }
    case Location::kHeader: {
      auto h = head.headers.Get(ToLower(m.WireName()));
      if (!h) return Status::Ok();
      auto v = HeaderValue(s, *h);
      // S3 ignores a date header it cannot read (If-Modified-Since: garbage).
      if (!v && s.type == ShapeType::kTimestamp) return Status::Ok();
      if (!v) return BadValue(m, *h);
      (*doc)[m.name] = std::move(*v);
      return Status::Ok();
    }
    case Location::kHeaders: {
      std::string prefix = ToLower(m.WireName());
      json obj = json::object();
      for (const auto& [name, value] : head.headers.all())
        if (StartsWith(name, prefix) && name.size() > prefix.size()) obj[name.substr(prefix.size())] = value;
      if (!obj.empty()) (*doc)[m.name] = std::move(obj);
      return Status::Ok();
    }
    default:
      return Status::Ok();
  }
}

// The XML (or string) payload, or the body members.
Status DecodeRequestBody(const Shape& in, std::string_view body, json* doc) {
  const MemberRef* payload = in.PayloadMember();
  if (payload) {
    const Shape& ps = *payload->shape;
    if (ps.type == ShapeType::kStructure) {
      if (Trim(body).empty()) return in.IsRequired(payload->name) ? MalformedXml() : Status::Ok();
      pugi::xml_document xml;
      CK_RETURN_IF_ERROR(LoadXml(body, &xml));
      pugi::xml_node root = xml.document_element();
      if (!root || LocalName(root.name()) != RootName(payload, ps)) return MalformedXml();
      CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(root, ps, XmlStyle{}, MalformedXml()));
      (*doc)[payload->name] = std::move(v);
    } else if (ps.type == ShapeType::kString && !payload->streaming) {
      if (!body.empty()) (*doc)[payload->name] = std::string(body);
    }
    // blob / streaming payloads stay with the caller.
  } else if (HasBodyMembers(in) && !Trim(body).empty()) {
    pugi::xml_document xml;
    CK_RETURN_IF_ERROR(LoadXml(body, &xml));
    CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(xml.document_element(), in, XmlStyle{}, MalformedXml()));
    for (auto it = v.begin(); it != v.end(); ++it) (*doc)[it.key()] = std::move(it.value());
  }
  return Status::Ok();
}

// An output member carried in headers or the status code.
void EncodeBoundMember(const MemberRef& m, const json& value, http::Response* out) {
  const Shape& s = *m.shape;
  switch (m.location) {
    case Location::kHeader: {
      std::string text;
      if (s.type == ShapeType::kList && value.is_array()) {
        for (const json& e : value) {
          if (!text.empty()) text += ",";
          text += ScalarToText(*s.member.shape, e, TimestampFormat::kRfc822, false);
        }
      } else {
        text = ScalarToText(s, value, TimestampFormat::kRfc822, false);
      }
      out->headers.Set(ToLower(m.WireName()), std::move(text));
      break;
    }
    case Location::kHeaders:
      if (value.is_object())
        for (auto kv = value.begin(); kv != value.end(); ++kv)
          out->headers.Set(ToLower(m.WireName()) + kv.key(),
                           ScalarToText(*s.value.shape, kv.value(), TimestampFormat::kRfc822, false));
      break;
    case Location::kStatusCode:
      if (value.is_number()) out->status = value.get<int>();
      break;
    default:
      break;
  }
}

// Body members without a payload member. GetBucketLocation: the root
// element is the value itself.
void WriteBodyMembers(const ServiceModel& model, const Shape& shape, const json& output, const XmlStyle& style,
                      XmlWriter* w) {
  w->Declaration();
  std::string root = RootName(nullptr, shape);
  std::string ns = RootNamespace(model, nullptr, shape);
  if (shape.members.size() == 1 && shape.members[0].name == root && IsScalar(*shape.members[0].shape)) {
    auto it = output.find(root);
    w->BeginOpen(root);
    w->Attribute("xmlns", ns);
    if (it == output.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
      w->EndEmpty();
    } else {
      w->EndOpen();
      w->Text(ScalarToText(*shape.members[0].shape, *it, style.timestamps, true));
      w->Close(root);
    }
  } else {
    WriteXmlValue(w, root, shape, output.is_object() ? output : json::object(), style, ns);
  }
}

}  // namespace

Result<json> DecodeRestXmlRequest(const ServiceModel& model, const Operation& op, const http::RequestHead& head,
                                  const std::map<std::string, std::string>& labels, std::string_view body) {
  json doc = json::object();
  if (!op.input.shape) return doc;
  const Shape& in = *op.input.shape;
  for (const MemberRef& m : in.members) CK_RETURN_IF_ERROR(DecodeBoundMember(in, m, head, labels, &doc));
  CK_RETURN_IF_ERROR(DecodeRequestBody(in, body, &doc));
  return doc;
}

void EncodeRestXmlResponse(const ServiceModel& model, const Operation& op, const json& output, http::Response* out) {
  out->status = op.response_code;
  if (!op.output.shape) return;
  const Shape& shape = *op.output.shape;
  for (const MemberRef& m : shape.members) {
    auto it = output.find(m.name);
    if (it != output.end() && !it->is_null()) EncodeBoundMember(m, *it, out);
  }

  XmlStyle style;
  style.iso_millis = true;
  const MemberRef* payload = shape.PayloadMember();
  XmlWriter w;
  if (payload) {
    auto it = output.find(payload->name);
    if (it == output.end() || it->is_null()) return;
    const Shape& ps = *payload->shape;
    if (ps.type == ShapeType::kStructure) {
      w.Declaration();
      WriteXmlValue(&w, RootName(payload, ps), ps, *it, style, RootNamespace(model, payload, ps));
    } else if (ps.type == ShapeType::kString && it->is_string()) {
      out->body = it->get<std::string>();
      return;
    } else if (ps.type == ShapeType::kBlob && !payload->streaming && it->is_string()) {
      auto decoded = Base64Decode(it->get<std::string>());
      out->body = decoded ? std::move(*decoded) : std::string();
      return;
    } else {
      return;
    }
  } else if (HasBodyMembers(shape)) {
    WriteBodyMembers(model, shape, output, style, &w);
  } else {
    return;
  }
  out->body = w.Take();
  out->headers.Set("content-type", "application/xml");
}

}  // namespace ck::wire
