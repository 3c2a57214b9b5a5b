#include "services/dynamodb/attribute_value.h"

#include <algorithm>
#include <set>

#include "base/codec.h"
#include "services/dynamodb/decimal.h"
#include "services/dynamodb/errors.h"
#include "services/dynamodb/limits.h"

namespace ck::services::ddb {

Status DdbValidation(const std::string& message) { return dynamodb::errors::Validation(message); }

namespace {

const char* const kTypes[] = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"};

std::string Decoded(const Json& b64) {
  auto d = Base64Decode(b64.get<std::string>());
  return d ? *d : std::string();
}

}  // namespace

std::string TypeOf(const Json& av) {
  if (!av.is_object()) return "";
  std::string found;
  for (const char* t : kTypes) {
    auto it = av.find(t);
    if (it == av.end() || it->is_null()) continue;
    if (!found.empty()) return "";
    found = t;
  }
  return found;
}

// The first member that is not null (TypeOf ignores null members too).
const Json& ContentOf(const Json& av) {
  for (auto it = av.begin(); it != av.end(); ++it)
    if (!it->is_null()) return *it;
  return av;
}
Json& ContentOf(Json& av) { return const_cast<Json&>(ContentOf(static_cast<const Json&>(av))); }
const std::string& TextOf(const Json& av) { return ContentOf(av).get_ref<const std::string&>(); }
std::string BytesOf(const Json& av) { return av.contains("B") ? Decoded(av["B"]) : TextOf(av); }

const Json* ListOf(const Json& av) {
  auto it = av.find("L");
  return it == av.end() ? nullptr : &*it;
}
Json* ListOf(Json* av) {
  auto it = av->find("L");
  return it == av->end() ? nullptr : &*it;
}
const Json* MapOf(const Json& av) {
  auto it = av.find("M");
  return it == av.end() ? nullptr : &*it;
}
Json* MapOf(Json* av) {
  auto it = av->find("M");
  return it == av->end() ? nullptr : &*it;
}

Json NumberValue(std::string text) { return Json{{"N", std::move(text)}}; }
Json ListValue(Json elements) { return Json{{"L", std::move(elements)}}; }
Json MapValue(Json members) { return Json{{"M", std::move(members)}}; }

namespace {

// `level` is the value's nesting level, the attribute itself being 1: deeper
// values are refused before they are walked.
Status ValidateAt(Json* av, int level) {
  if (level > kMaxNestingLevels) return NestingTooDeep();
  std::string t = TypeOf(*av);
  if (t.empty())
    return DdbValidation(
        "Supplied AttributeValue is empty, must contain exactly one of the supported datatypes");
  Json& v = (*av)[t];
  if (t == "S" || t == "B") {
    if (!v.is_string()) return DdbValidation("Supplied AttributeValue has an invalid " + t + " value");
  } else if (t == "N") {
    if (!v.is_string()) return DdbValidation("The parameter cannot be converted to a numeric value");
    auto d = Decimal::Parse(v.get<std::string>());
    if (!d) return DdbValidation("The parameter cannot be converted to a numeric value: " + v.get<std::string>());
    v = d->ToString();
  } else if (t == "BOOL") {
    if (!v.is_boolean()) return DdbValidation("Supplied AttributeValue has an invalid BOOL value");
  } else if (t == "NULL") {
    if (!v.is_boolean() || !v.get<bool>())
      return DdbValidation("One or more parameter values were invalid: Null attribute value types must have the value of true");
  } else if (t == "SS" || t == "NS" || t == "BS") {
    if (!v.is_array()) return DdbValidation("Supplied AttributeValue has an invalid " + t + " value");
    if (v.empty())
      return DdbValidation(std::string("One or more parameter values were invalid: An ") +
                           (t == "SS" ? "string" : t == "NS" ? "number" : "binary") + " set  may not be empty");
    // Every member a string before any is compared: the duplicates message
    // lists them all (ddb_attribute_value_fuzz: a later member that was not a
    // string threw while the message was written).
    for (const Json& e : v)
      if (!e.is_string()) return DdbValidation("Supplied AttributeValue has an invalid " + t + " value");
    std::set<std::string> seen;
    for (Json& e : v) {
      std::string k = e.get<std::string>();
      if (t == "NS") {
        auto d = Decimal::Parse(k);
        if (!d) return DdbValidation("The parameter cannot be converted to a numeric value: " + k);
        e = d->ToString();
        k = e.get<std::string>();
      } else if (t == "BS") {
        k = Decoded(e);
      }
      if (!seen.insert(k).second) {
        std::string list;
        for (const Json& x : v) list += (list.empty() ? "" : ", ") + x.get<std::string>();
        return DdbValidation("One or more parameter values were invalid: Input collection [" + list +
                             "] contains duplicates.");
      }
    }
  } else if (t == "L") {
    if (!v.is_array()) return DdbValidation("Supplied AttributeValue has an invalid L value");
    for (Json& e : v) CK_RETURN_IF_ERROR(ValidateAt(&e, level + 1));
  } else if (t == "M") {
    if (!v.is_object()) return DdbValidation("Supplied AttributeValue has an invalid M value");
    for (auto& [k, e] : v.items()) CK_RETURN_IF_ERROR(ValidateAt(&e, level + 1));
  }
  // Drop any null siblings the codec may have left.
  Json clean = Json::object();
  clean[t] = std::move(v);
  *av = std::move(clean);
  return Status::Ok();
}

}  // namespace

Status ValidateAndNormalize(Json* av) { return ValidateAt(av, 1); }

Status ValidateItem(Json* item) {
  if (!item->is_object()) return DdbValidation("Item must be a map");
  for (auto& [k, v] : item->items()) {
    if (k.empty()) return DdbValidation("One or more parameter values are not valid. Attribute names cannot be empty");
    CK_RETURN_IF_ERROR(ValidateAndNormalize(&v));
  }
  return Status::Ok();
}

bool Equal(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb || ta.empty()) return false;
  const Json& va = a[ta];
  const Json& vb = b[tb];
  if (ta == "N") {
    auto x = Decimal::Parse(va.get<std::string>()), y = Decimal::Parse(vb.get<std::string>());
    return x && y && Decimal::Compare(*x, *y) == 0;
  }
  if (ta == "B") return Decoded(va) == Decoded(vb);
  if (ta == "SS" || ta == "NS" || ta == "BS") {
    if (va.size() != vb.size()) return false;
    std::set<std::string> sa, sb;
    for (const Json& e : va)
      sa.insert(ta == "NS" ? Decimal::Parse(e.get<std::string>())->ToString()
                           : ta == "BS" ? Decoded(e) : e.get<std::string>());
    for (const Json& e : vb)
      sb.insert(ta == "NS" ? Decimal::Parse(e.get<std::string>())->ToString()
                           : ta == "BS" ? Decoded(e) : e.get<std::string>());
    return sa == sb;
  }
  if (ta == "L") {
    if (va.size() != vb.size()) return false;
    for (size_t i = 0; i < va.size(); ++i)
      if (!Equal(va[i], vb[i])) return false;
    return true;
  }
  if (ta == "M") {
    if (va.size() != vb.size()) return false;
    for (auto it = va.begin(); it != va.end(); ++it) {
      auto jt = vb.find(it.key());
      if (jt == vb.end() || !Equal(*it, *jt)) return false;
    }
    return true;
  }
  return va == vb;
}

std::optional<int> CompareScalars(const Json& a, const Json& b) {
  std::string ta = TypeOf(a), tb = TypeOf(b);
  if (ta != tb) return std::nullopt;
  if (ta == "N") {
    auto x = Decimal::Parse(TextOf(a)), y = Decimal::Parse(TextOf(b));
    if (!x || !y) return std::nullopt;
    return Decimal::Compare(*x, *y);
  }
  if (ta == "S" || ta == "B") {
    std::string x = BytesOf(a), y = BytesOf(b);
    int c = x.compare(y);  // UTF-8 byte order, as DynamoDB compares
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

std::optional<size_t> SizeOf(const Json& av) {
  std::string t = TypeOf(av);
  if (t == "S") return TextOf(av).size();
  if (t == "B") return BytesOf(av).size();
  if (t == "SS" || t == "NS" || t == "BS" || t == "L" || t == "M") return ContentOf(av).size();
  return std::nullopt;
}

std::string KeyBytes(const Json& av) {
  std::string t = TypeOf(av);
  if (t == "N") return Decimal::Parse(TextOf(av))->SortableBytes();
  return BytesOf(av);
}

size_t AttributeValueSize(const Json& av) {
  std::string t = TypeOf(av);
  if (t.empty()) return 0;
  const Json& v = ContentOf(av);
  auto number = [](const Json& n) -> size_t {
    if (!n.is_string()) return 0;
    // Significant digits of the (normalized) text: no sign, point, exponent or
    // leading/trailing zeros; one byte per two digits, plus one.
    const std::string& text = n.get_ref<const std::string&>();
    std::string digits;
    for (char c : text) {
      if (c == 'e' || c == 'E') break;
      if (c >= '0' && c <= '9') digits += c;
    }
    size_t first = digits.find_first_not_of('0');
    if (first == std::string::npos) return 1;
    size_t last = digits.find_last_not_of('0');
    return (last - first + 2) / 2 + 1;
  };
  auto binary = [](const Json& b) -> size_t {
    if (!b.is_string()) return 0;
    const std::string& text = b.get_ref<const std::string&>();
    size_t n = text.size(), pad = 0;
    while (pad < 2 && pad < n && text[n - 1 - pad] == '=') ++pad;
    size_t full = n / 4 * 3;
    return full > pad ? full - pad : 0;
  };
  auto string = [](const Json& x) -> size_t { return x.is_string() ? x.get_ref<const std::string&>().size() : 0; };
  size_t n = 0;
  if (t == "S") return string(v);
  if (t == "N") return number(v);
  if (t == "B") return binary(v);
  if (t == "BOOL" || t == "NULL") return 1;
  if (t == "SS" || t == "NS" || t == "BS") {
    for (const Json& e : v) n += t == "SS" ? string(e) : t == "NS" ? number(e) : binary(e);
    return n;
  }
  if (t == "L") {
    n = 3;
    for (const Json& e : v) n += 1 + AttributeValueSize(e);
    return n;
  }
  if (t == "M") {
    n = 3;
    for (auto it = v.begin(); it != v.end(); ++it) n += it.key().size() + 1 + AttributeValueSize(*it);
    return n;
  }
  return 0;
}

size_t ItemSize(const Json& item) {
  size_t n = 0;
  for (auto it = item.begin(); it != item.end(); ++it) n += it.key().size() + AttributeValueSize(*it);
  return n;
}

}  // namespace ck::services::ddb
