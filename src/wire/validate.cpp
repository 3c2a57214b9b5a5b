#include "wire/validate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "base/codec.h"

namespace ck::wire {

using nlohmann::json;

std::string CamelMember(const std::string& name) {
  std::string out = name;
  if (!out.empty() && out[0] >= 'A' && out[0] <= 'Z') out[0] = static_cast<char>(out[0] - 'A' + 'a');
  return out;
}

namespace {

// Java's String.length(): UTF-16 code units.
size_t Utf16Length(std::string_view s) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    n += (c >= 0xF0) ? 2 : 1;
  }
  return n;
}

std::string FormatNumber(double v) {
  char buf[64];
  if (std::floor(v) == v && std::fabs(v) < 1e18) {
    std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
  } else {
    std::snprintf(buf, sizeof buf, "%g", v);
  }
  return buf;
}

// Java toString()-like rendering used inside Value '...'.
std::string Render(const Shape& shape, const json& v) {
  switch (shape.type) {
    case ShapeType::kBlob: {
      size_t n = 0;
      if (v.is_string()) {
        auto decoded = Base64Decode(v.get<std::string>());
        n = decoded ? decoded->size() : 0;
      }
      return "java.nio.HeapByteBuffer[pos=0 lim=" + std::to_string(n) + " cap=" + std::to_string(n) + "]";
    }
    case ShapeType::kList: {
      std::string out = "[";
      bool first = true;
      for (const json& e : v) {
        if (!first) out += ", ";
        first = false;
        out += shape.member.shape ? Render(*shape.member.shape, e) : e.dump();
      }
      return out + "]";
    }
    case ShapeType::kMap:
    case ShapeType::kStructure: {
      std::string out = "{";
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out += ", ";
        first = false;
        const Shape* vs = shape.type == ShapeType::kMap ? shape.value.shape : nullptr;
        if (shape.type == ShapeType::kStructure)
          if (const MemberRef* m = shape.FindMember(it.key())) vs = m->shape;
        out += it.key() + "=" + (vs ? Render(*vs, it.value()) : it.value().dump());
      }
      return out + "}";
    }
    default:
      if (v.is_string()) return v.get<std::string>();
      if (v.is_number()) return FormatNumber(v.get<double>());
      if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
      return v.dump();
  }
}

// `hide`: leave the value out whatever the shape says.
void AddViolation(const Shape& shape, const json* v, const std::string& path, const std::string& constraint,
                  std::vector<std::string>* out, const ValidationStyle& style, bool hide = false) {
  std::string msg = "Value ";
  if (!v) msg += "null ";
  else if (!hide && !shape.sensitive &&
           std::find(style.hidden_members.begin(), style.hidden_members.end(), path) == style.hidden_members.end()) {
    msg += '\'';
    msg += Render(shape, *v);
    msg += "' ";
  }
  msg += "at '" + path + "' failed to satisfy constraint: " + constraint;
  out->push_back(std::move(msg));
}

// A string's pattern and enum constraints (its length is checked by the caller).
void StringViolations(const Shape& shape, const json& value, const std::string& path, std::vector<std::string>* out,
                      const ValidationStyle& style) {
  const std::string& s = value.get_ref<const std::string&>();
  if (shape.compiled_pattern && !shape.compiled_pattern->Matches(s))
    AddViolation(shape, &value, path, "Member must satisfy regular expression pattern: " + shape.pattern, out, style);
  if (shape.enum_values.empty()) return;
  for (const std::string& e : shape.enum_values)
    if (e == s) return;
  if (!style.coral_enums) {
    AddViolation(shape, &value, path, "Member must satisfy enum value set", out, style, /*hide=*/true);
    return;
  }
  std::string set = "[";
  for (size_t i = 0; i < shape.enum_values.size(); ++i) set += (i ? ", " : "") + shape.enum_values[i];
  AddViolation(shape, &value, path, "Member must satisfy enum value set: " + set + "]", out, style);
}

}  // namespace

void CollectViolations(const Shape& shape, const json& value, const std::string& path,
                       std::vector<std::string>* out, const ValidationStyle& style) {
  auto Violation = [&style](const Shape& sh, const json* v, const std::string& p, const std::string& constraint,
                            std::vector<std::string>* o) { AddViolation(sh, v, p, constraint, o, style); };
  auto length_checks = [&](size_t len) {
    if (shape.min && static_cast<double>(len) < *shape.min)
      Violation(shape, &value, path, "Member must have length greater than or equal to " + FormatNumber(*shape.min),
                out);
    if (shape.max && static_cast<double>(len) > *shape.max)
      Violation(shape, &value, path, "Member must have length less than or equal to " + FormatNumber(*shape.max),
                out);
  };
  switch (shape.type) {
    case ShapeType::kStructure: {
      if (!value.is_object()) return;
      for (const MemberRef& m : shape.members) {
        std::string child = path.empty() ? CamelMember(m.name) : path + "." + CamelMember(m.name);
        auto it = value.find(m.name);
        if (it == value.end() || it->is_null()) {
          if (shape.IsRequired(m.name)) Violation(*m.shape, nullptr, child, "Member must not be null", out);
          continue;
        }
        CollectViolations(*m.shape, *it, child, out, style);
      }
      return;
    }
    case ShapeType::kList: {
      if (!value.is_array()) return;
      length_checks(value.size());
      if (!shape.member.shape) return;
      for (size_t i = 0; i < value.size(); ++i)
        CollectViolations(*shape.member.shape, value[i], path + "." + std::to_string(i + 1) + ".member", out, style);
      return;
    }
    case ShapeType::kMap: {
      if (!value.is_object()) return;
      length_checks(value.size());
      for (auto it = value.begin(); it != value.end(); ++it) {
        if (shape.key.shape) CollectViolations(*shape.key.shape, json(it.key()), path + ".key", out, style);
        if (shape.value.shape)
          CollectViolations(*shape.value.shape, it.value(), path + "." + it.key() + ".member", out, style);
      }
      return;
    }
    case ShapeType::kString: {
      if (!value.is_string()) return;
      length_checks(Utf16Length(value.get_ref<const std::string&>()));
      StringViolations(shape, value, path, out, style);
      return;
    }
    case ShapeType::kBlob: {
      if (!value.is_string()) return;
      auto decoded = Base64Decode(value.get<std::string>());
      length_checks(decoded ? decoded->size() : 0);
      return;
    }
    case ShapeType::kInteger:
    case ShapeType::kLong:
    case ShapeType::kFloat:
    case ShapeType::kDouble: {
      if (!value.is_number()) return;
      double v = value.get<double>();
      if (shape.min && v < *shape.min)
        Violation(shape, &value, path, "Member must have value greater than or equal to " + FormatNumber(*shape.min),
                  out);
      if (shape.max && v > *shape.max)
        Violation(shape, &value, path, "Member must have value less than or equal to " + FormatNumber(*shape.max),
                  out);
      return;
    }
    default:
      return;
  }
}

const ValidationStyle& IamValidationStyle() {
  static const ValidationStyle style{.coral_enums = false, .hidden_members = {"serviceSpecificCredentialId"}};
  return style;
}

std::string FormatViolations(const std::vector<std::string>& violations) {
  std::string out = std::to_string(violations.size()) +
                    (violations.size() == 1 ? " validation error detected: " : " validation errors detected: ");
  for (size_t i = 0; i < violations.size(); ++i) {
    if (i) out += "; ";
    out += violations[i];
  }
  return out;
}

Status ValidateInput(const Shape& input, const json& doc, const std::string& aws_code, const ValidationStyle& style) {
  std::vector<std::string> violations;
  CollectViolations(input, doc, "", &violations, style);
  if (violations.empty()) return Status::Ok();
  return AwsError(aws_code, 400, FormatViolations(violations));
}

}  // namespace ck::wire
