#include "wire/model.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <mutex>

#include <nlohmann/json.hpp>

#include "wire/models_data.h"

namespace ck::wire {

using nlohmann::json;

const MemberRef* Shape::FindMember(std::string_view member_name) const {
  for (const MemberRef& m : members)
    if (m.name == member_name) return &m;
  return nullptr;
}

bool Shape::IsRequired(std::string_view member_name) const {
  return std::find(required.begin(), required.end(), member_name) != required.end();
}

const Operation* ServiceModel::FindOperation(std::string_view name) const {
  auto it = operations_.find(std::string(name));
  return it == operations_.end() ? nullptr : &it->second;
}

const Shape* ServiceModel::FindShape(std::string_view name) const {
  auto it = shapes_.find(std::string(name));
  return it == shapes_.end() ? nullptr : &it->second;
}

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
bool Bool(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

ShapeType TypeOf(const std::string& t, bool* ok) {
  static const std::pair<const char*, ShapeType> kTypes[] = {
      {"structure", ShapeType::kStructure}, {"list", ShapeType::kList},       {"map", ShapeType::kMap},
      {"string", ShapeType::kString},       {"integer", ShapeType::kInteger}, {"long", ShapeType::kLong},
      {"float", ShapeType::kFloat},         {"double", ShapeType::kDouble},   {"boolean", ShapeType::kBoolean},
      {"timestamp", ShapeType::kTimestamp}, {"blob", ShapeType::kBlob},       {"document", ShapeType::kDocument},
      {"bigdecimal", ShapeType::kDouble},   {"biginteger", ShapeType::kLong}, {"byte", ShapeType::kInteger},
      {"short", ShapeType::kInteger},       {"character", ShapeType::kString},
  };
  for (auto& [name, type] : kTypes)
    if (t == name) return type;
  *ok = false;
  return ShapeType::kString;
}

Location LocationOf(const std::string& l) {
  if (l == "uri") return Location::kUri;
  if (l == "querystring") return Location::kQuerystring;
  if (l == "header") return Location::kHeader;
  if (l == "headers") return Location::kHeaders;
  if (l == "statusCode") return Location::kStatusCode;
  return Location::kBody;
}

void ParseNamespace(const json& j, std::string* uri, std::string* prefix) {
  auto it = j.find("xmlNamespace");
  if (it == j.end()) return;
  if (it->is_string()) {
    *uri = it->get<std::string>();
  } else if (it->is_object()) {
    *uri = Str(*it, "uri");
    *prefix = Str(*it, "prefix");
  }
}

}  // namespace

namespace {

using ShapeMap = std::unordered_map<std::string, Shape>;

// A member/list/map/operation reference to a shape of the same model.
bool ParseRef(const json& j, ShapeMap& shapes, MemberRef* ref, std::string* error) {
  std::string target = Str(j, "shape");
  auto found = shapes.find(target);
  if (found == shapes.end()) {
    *error = "unknown shape " + target;
    return false;
  }
  ref->shape = &found->second;
  ref->location = LocationOf(Str(j, "location"));
  ref->location_name = Str(j, "locationName");
  ParseNamespace(j, &ref->xml_namespace, &ref->xml_prefix);
  ref->query_name = Str(j, "queryName");
  ref->result_wrapper = Str(j, "resultWrapper");
  ref->xml_attribute = Bool(j, "xmlAttribute");
  ref->flattened = Bool(j, "flattened");
  ref->jsonvalue = Bool(j, "jsonvalue");
  ref->host_label = Bool(j, "hostLabel");
  ref->streaming = Bool(j, "streaming");
  ref->event_payload = Bool(j, "eventpayload");
  ref->idempotency_token = Bool(j, "idempotencyToken");
  return true;
}

// One shape's traits, constraints and member references.
bool ParseShape(const json& j, ShapeMap& shapes, Shape& s, std::string* error) {
  bool type_ok = true;
  s.type = TypeOf(Str(j, "type"), &type_ok);
  if (!type_ok) {
    *error = "shape " + s.name + " has unknown type " + Str(j, "type");
    return false;
  }
  if (auto r = j.find("required"); r != j.end()) s.required = r->get<std::vector<std::string>>();
  if (auto v = j.find("min"); v != j.end() && v->is_number()) s.min = v->get<double>();
  if (auto v = j.find("max"); v != j.end() && v->is_number()) s.max = v->get<double>();
  s.pattern = Str(j, "pattern");
  if (!s.pattern.empty()) s.compiled_pattern = Pattern::Compile(s.pattern);
  if (auto e = j.find("enum"); e != j.end()) s.enum_values = e->get<std::vector<std::string>>();
  s.timestamp_format = Str(j, "timestampFormat");
  s.payload = Str(j, "payload");
  ParseNamespace(j, &s.xml_namespace, &s.xml_prefix);
  s.location_name = Str(j, "locationName");
  s.flattened = Bool(j, "flattened");
  s.exception = Bool(j, "exception");
  s.fault = Bool(j, "fault");
  s.sensitive = Bool(j, "sensitive");
  s.eventstream = Bool(j, "eventstream");
  s.is_union = Bool(j, "union");
  if (auto e = j.find("error"); e != j.end() && e->is_object()) {
    s.error_code = Str(*e, "code");
    if (auto h = e->find("httpStatusCode"); h != e->end() && h->is_number()) s.error_http_status = h->get<int>();
    s.sender_fault = Bool(*e, "senderFault");
  }
  if (auto mem = j.find("members"); mem != j.end()) {
    s.members.reserve(mem->size());
    for (const json& pair : *mem) {
      MemberRef ref;
      ref.name = pair[0].get<std::string>();
      if (!ParseRef(pair[1], shapes, &ref, error)) return false;
      s.members.push_back(std::move(ref));
    }
  }
  for (auto [name, ref] : {std::pair{"member", &s.member}, std::pair{"key", &s.key}, std::pair{"value", &s.value}})
    if (auto v = j.find(name); v != j.end() && !ParseRef(*v, shapes, ref, error)) return false;
  return true;
}

// requestUri: "/{Bucket}/{Key+}?uploads" → path segments + literal query.
void ParseRequestUri(std::string_view uri, Operation* op) {
  std::string_view path = uri.substr(0, uri.find('?'));
  std::string_view query = uri.size() > path.size() ? uri.substr(path.size() + 1) : std::string_view();
  size_t pos = 1;
  while (pos <= path.size() && path.size() > 1) {
    size_t end = path.find('/', pos);
    if (end == std::string_view::npos) end = path.size();
    std::string_view seg = path.substr(pos, end - pos);
    UriSegment s;
    if (seg.size() >= 2 && seg.front() == '{' && seg.back() == '}') {
      seg = seg.substr(1, seg.size() - 2);
      if (!seg.empty() && seg.back() == '+') {
        s.greedy = true;
        seg.remove_suffix(1);
      }
      s.label = std::string(seg);
    } else {
      s.literal = std::string(seg);
    }
    op->path.push_back(std::move(s));
    pos = end + 1;
  }
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    size_t eq = part.find('=');
    op->uri_query.emplace_back(std::string(part.substr(0, eq)),
                               eq == std::string_view::npos ? std::string() : std::string(part.substr(eq + 1)));
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
}

bool ParseOperation(const json& j, ShapeMap& shapes, const ServiceModel& m, Operation& op, std::string* error) {
  if (auto h = j.find("http"); h != j.end()) {
    op.http_method = Str(*h, "method");
    op.request_uri = Str(*h, "requestUri");
    if (auto rc = h->find("responseCode"); rc != h->end() && rc->is_number()) op.response_code = rc->get<int>();
  }
  if (auto v = j.find("input"); v != j.end() && !ParseRef(*v, shapes, &op.input, error)) return false;
  if (auto v = j.find("output"); v != j.end() && !ParseRef(*v, shapes, &op.output, error)) return false;
  if (auto e = j.find("errors"); e != j.end()) {
    for (const json& name : *e)
      if (const Shape* s = m.FindShape(name.get<std::string>())) op.errors.push_back(s);
  }
  op.deprecated = Bool(j, "deprecated");
  if (auto hc = j.find("httpChecksum"); hc != j.end()) {
    op.request_checksum_required = Bool(*hc, "requestChecksumRequired");
    op.request_algorithm_member = Str(*hc, "requestAlgorithmMember");
  }
  ParseRequestUri(op.request_uri, &op);
  return true;
}

}  // namespace

std::unique_ptr<ServiceModel> ServiceModel::Parse(std::string_view service, std::string_view text,
                                                  std::string* error) {
  json doc = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!doc.is_object() || !doc.contains("shapes") || !doc.contains("operations")) {
    *error = "model is not a JSON object with shapes and operations";
    return nullptr;
  }
  auto model = std::make_unique<ServiceModel>();
  ServiceModel& m = *model;
  m.service_ = std::string(service);
  const json& meta = doc["metadata"];
  m.protocol_name_ = Str(meta, "protocol");
  m.json_version_ = Str(meta, "jsonVersion");
  m.target_prefix_ = Str(meta, "targetPrefix");
  m.endpoint_prefix_ = Str(meta, "endpointPrefix");
  m.signing_name_ = Str(meta, "signingName");
  if (m.signing_name_.empty()) m.signing_name_ = m.endpoint_prefix_;
  m.xml_namespace_ = Str(meta, "xmlNamespace");
  m.api_version_ = Str(meta, "apiVersion");
  if (m.protocol_name_ == "rest-xml") m.protocol_ = Protocol::kRestXml;
  else if (m.protocol_name_ == "json") m.protocol_ = Protocol::kJson;
  else if (m.protocol_name_ == "query") m.protocol_ = Protocol::kQuery;
  else if (m.protocol_name_ == "rest-json") m.protocol_ = Protocol::kRestJson;
  else if (m.protocol_name_ == "ec2") m.protocol_ = Protocol::kEc2;
  else {
    *error = "unknown protocol " + m.protocol_name_;
    return nullptr;
  }

  // Every shape exists before any is parsed: references point into the map.
  const json& shapes = doc["shapes"];
  m.shapes_.reserve(shapes.size());
  for (auto it = shapes.begin(); it != shapes.end(); ++it) m.shapes_[it.key()].name = it.key();
  for (auto it = shapes.begin(); it != shapes.end(); ++it)
    if (!ParseShape(it.value(), m.shapes_, m.shapes_[it.key()], error)) return nullptr;

  const json& ops = doc["operations"];
  m.operations_.reserve(ops.size());
  for (auto it = ops.begin(); it != ops.end(); ++it) {
    Operation& op = m.operations_[it.key()];
    op.name = it.key();
    if (!ParseOperation(it.value(), m.shapes_, m, op, error)) return nullptr;
  }
  if (m.protocol_ == Protocol::kRestXml || m.protocol_ == Protocol::kRestJson) m.BuildRestIndex();
  return model;
}

namespace {

struct Slot {
  std::once_flag once;
  std::unique_ptr<ServiceModel> model;
};

}  // namespace

const ServiceModel* FindService(std::string_view name) {
  // Sized generously; the generator emits a handful of services.
  static std::array<Slot, 32> slots;
  for (size_t i = 0; i < kEmbeddedModelCount && i < slots.size(); ++i) {
    const EmbeddedModel& em = kEmbeddedModels[i];
    if (name != em.service) continue;
    Slot& slot = slots[i];
    std::call_once(slot.once, [&] {
      std::string text;
      text.reserve(em.total_size);
      for (size_t c = 0; c < em.chunk_count; ++c) text += em.chunks[c];
      std::string error;
      slot.model = ServiceModel::Parse(em.service, text, &error);
      // The data is generated at build time; failing to read it is a build bug.
      if (!slot.model) std::fprintf(stderr, "crosskey: embedded model %s: %s\n", em.service, error.c_str());
    });
    return slot.model.get();
  }
  return nullptr;
}

std::vector<std::string> EmbeddedServiceNames() {
  std::vector<std::string> out;
  for (size_t i = 0; i < kEmbeddedModelCount; ++i) out.emplace_back(kEmbeddedModels[i].service);
  return out;
}

}  // namespace ck::wire
