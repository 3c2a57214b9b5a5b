#include "wire/xml_body.h"

#include <cstring>

namespace ck::wire {

using nlohmann::json;

std::string_view LocalName(const char* name) {
  const char* colon = std::strchr(name, ':');
  return colon ? std::string_view(colon + 1) : std::string_view(name);
}

namespace {

void WriteMember(XmlWriter* w, const MemberRef& m, const json& v, const XmlStyle& style) {
  const Shape& s = *m.shape;
  if (s.type == ShapeType::kList && v.is_array()) {
    const Shape& item = *s.member.shape;
    if (m.flattened || s.flattened) {
      const std::string& name = s.member.location_name.empty() ? m.WireName() : s.member.location_name;
      for (const json& e : v) WriteXmlValue(w, name, item, e, style);
    } else {
      w->Open(m.WireName());
      const std::string item_name = s.member.location_name.empty() ? "member" : s.member.location_name;
      for (const json& e : v) WriteXmlValue(w, item_name, item, e, style);
      w->Close(m.WireName());
    }
    return;
  }
  if (s.type == ShapeType::kMap && v.is_object()) {
    const std::string key_name = s.key.location_name.empty() ? "key" : s.key.location_name;
    const std::string value_name = s.value.location_name.empty() ? "value" : s.value.location_name;
    bool flat = m.flattened || s.flattened;
    if (!flat) w->Open(m.WireName());
    for (auto it = v.begin(); it != v.end(); ++it) {
      w->Open(flat ? m.WireName() : "entry");
      w->Element(key_name, it.key());
      WriteXmlValue(w, value_name, *s.value.shape, it.value(), style);
      w->Close(flat ? m.WireName() : "entry");
    }
    if (!flat) w->Close(m.WireName());
    return;
  }
  WriteXmlValue(w, m.WireName(), s, v, style, m.xml_namespace, m.xml_prefix);
}

}  // namespace

void WriteXmlMembers(XmlWriter* w, const Shape& shape, const json& value, const XmlStyle& style) {
  if (!value.is_object()) return;
  for (const MemberRef& m : shape.members) {
    if (m.location != Location::kBody || m.xml_attribute) continue;
    auto it = value.find(m.name);
    if (it == value.end() || it->is_null()) continue;
    WriteMember(w, m, *it, style);
  }
}

void WriteXmlValue(XmlWriter* w, std::string_view name, const Shape& shape, const json& value,
                   const XmlStyle& style, std::string_view ns, std::string_view ns_prefix) {
  w->BeginOpen(name);
  auto xmlns = [&](std::string_view uri, std::string_view prefix) {
    if (uri.empty()) return;
    w->Attribute(prefix.empty() ? std::string("xmlns") : "xmlns:" + std::string(prefix), uri);
  };
  xmlns(ns, ns_prefix);
  if (shape.type == ShapeType::kStructure) {
    if (shape.xml_namespace != ns) xmlns(shape.xml_namespace, shape.xml_prefix);
    if (value.is_object()) {
      for (const MemberRef& m : shape.members) {
        if (!m.xml_attribute) continue;
        auto it = value.find(m.name);
        if (it == value.end() || it->is_null()) continue;
        w->Attribute(m.WireName(), ScalarToText(*m.shape, *it, style.timestamps, style.iso_millis));
      }
    }
    w->EndOpen();
    WriteXmlMembers(w, shape, value, style);
  } else if (shape.type == ShapeType::kList || shape.type == ShapeType::kMap) {
    // A bare list/map value (not reached through a member): write its items.
    w->EndOpen();
    if (shape.type == ShapeType::kList && value.is_array()) {
      const std::string item = shape.member.location_name.empty() ? "member" : shape.member.location_name;
      for (const json& e : value) WriteXmlValue(w, item, *shape.member.shape, e, style);
    }
  } else {
    w->EndOpen();
    w->Text(ScalarToText(shape, value, style.timestamps, style.iso_millis));
  }
  w->Close(name);
}

namespace {

std::vector<pugi::xml_node> Children(const pugi::xml_node& node, std::string_view name) {
  std::vector<pugi::xml_node> out;
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && LocalName(c.name()) == name) out.push_back(c);
  return out;
}

pugi::xml_node Child(const pugi::xml_node& node, std::string_view name) {
  for (pugi::xml_node c = node.first_child(); c; c = c.next_sibling())
    if (c.type() == pugi::node_element && LocalName(c.name()) == name) return c;
  return {};
}

}  // namespace

Result<json> ReadXmlValue(const pugi::xml_node& node, const Shape& shape, const XmlStyle& style, const Status& bad) {
  switch (shape.type) {
    case ShapeType::kStructure: {
      json out = json::object();
      for (const MemberRef& m : shape.members) {
        if (m.location != Location::kBody) continue;
        const Shape& ms = *m.shape;
        if (m.xml_attribute) {
          for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
            if (a.name() == m.WireName() || LocalName(a.name()) == LocalName(m.WireName().c_str())) {
              auto v = ScalarFromText(ms, a.value(), style.timestamps);
              if (!v) return bad;
              out[m.name] = std::move(*v);
              break;
            }
          }
          continue;
        }
        if (ms.type == ShapeType::kList && (m.flattened || ms.flattened)) {
          const std::string& name = ms.member.location_name.empty() ? m.WireName() : ms.member.location_name;
          auto items = Children(node, name);
          if (items.empty()) continue;
          json arr = json::array();
          for (auto& item : items) {
            CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(item, *ms.member.shape, style, bad));
            arr.push_back(std::move(v));
          }
          out[m.name] = std::move(arr);
          continue;
        }
        if (ms.type == ShapeType::kMap && (m.flattened || ms.flattened)) {
          auto entries = Children(node, m.WireName());
          if (entries.empty()) continue;
          json obj = json::object();
          for (auto& e : entries) {
            const std::string key_name = ms.key.location_name.empty() ? "key" : ms.key.location_name;
            const std::string value_name = ms.value.location_name.empty() ? "value" : ms.value.location_name;
            CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(Child(e, value_name), *ms.value.shape, style, bad));
            obj[Child(e, key_name).text().as_string()] = std::move(v);
          }
          out[m.name] = std::move(obj);
          continue;
        }
        pugi::xml_node child = Child(node, m.WireName());
        if (!child) continue;
        CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(child, ms, style, bad));
        out[m.name] = std::move(v);
      }
      return out;
    }
    case ShapeType::kList: {
      json arr = json::array();
      const std::string item = shape.member.location_name.empty() ? "member" : shape.member.location_name;
      for (auto& c : Children(node, item)) {
        CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(c, *shape.member.shape, style, bad));
        arr.push_back(std::move(v));
      }
      return arr;
    }
    case ShapeType::kMap: {
      json obj = json::object();
      const std::string key_name = shape.key.location_name.empty() ? "key" : shape.key.location_name;
      const std::string value_name = shape.value.location_name.empty() ? "value" : shape.value.location_name;
      for (auto& e : Children(node, "entry")) {
        CK_ASSIGN_OR_RETURN(json v, ReadXmlValue(Child(e, value_name), *shape.value.shape, style, bad));
        obj[Child(e, key_name).text().as_string()] = std::move(v);
      }
      return obj;
    }
    default: {
      auto v = ScalarFromText(shape, node.text().as_string(), style.timestamps);
      if (!v) return bad;
      return std::move(*v);
    }
  }
}

}  // namespace ck::wire
