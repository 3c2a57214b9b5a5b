// Shape-driven XML bodies, shared by the query protocol (responses) and
// rest-xml (request payloads and responses): structures by member
// locationName, lists wrapped in <member> (or the list member's
// locationName) unless flattened, maps as <entry><key/><value/></entry>,
// xmlAttribute members as attributes, xmlNamespace as xmlns attributes.
//
// Thread safety: stateless functions.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>
#include <pugixml.hpp>

#include "base/status.h"
#include "wire/model.h"
#include "wire/scalars.h"
#include "wire/xml_writer.h"

namespace ck::wire {

struct XmlStyle {
  TimestampFormat timestamps = TimestampFormat::kIso8601;
  bool iso_millis = false;  // S3 bodies always carry milliseconds
};

// Writes `value` as element `name` (with xmlns="ns" / xmlns:prefix="ns"
// when `ns` is non-empty).
void WriteXmlValue(XmlWriter* w, std::string_view name, const Shape& shape, const nlohmann::json& value,
                   const XmlStyle& style, std::string_view ns = {}, std::string_view ns_prefix = {});

// Writes the members of a structure (no enclosing element).
void WriteXmlMembers(XmlWriter* w, const Shape& shape, const nlohmann::json& value, const XmlStyle& style);

// Reads element `node` as `shape`. Conversion failures give `bad` (the
// caller's protocol error, e.g. S3's MalformedXML).
Result<nlohmann::json> ReadXmlValue(const pugi::xml_node& node, const Shape& shape, const XmlStyle& style,
                                    const Status& bad);

// The element name without its namespace prefix.
std::string_view LocalName(const char* name);

}  // namespace ck::wire
