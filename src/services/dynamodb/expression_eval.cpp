// Evaluation half of expression.h: path resolution, condition evaluation,
// projection and update application (parsing lives in expression.cpp).
#include <algorithm>
#include <map>
#include <set>

#include "base/cancel.h"
#include "base/codec.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/decimal.h"
#include "services/dynamodb/expression.h"

namespace ck::services::ddb {

std::optional<Json> ResolvePath(const Json& item, const Path& path) {
  const Json* cur = nullptr;
  for (size_t i = 0; i < path.size(); ++i) {
    const PathElem& e = path[i];
    if (i == 0) {
      auto it = item.find(e.name);
      if (it == item.end()) return std::nullopt;
      cur = &*it;
      continue;
    }
    if (e.index >= 0) {
      const Json* l = ListOf(*cur);
      if (!l || static_cast<size_t>(e.index) >= l->size()) return std::nullopt;
      cur = &(*l)[static_cast<size_t>(e.index)];
    } else {
      const Json* m = MapOf(*cur);
      if (!m) return std::nullopt;
      auto it = m->find(e.name);
      if (it == m->end()) return std::nullopt;
      cur = &*it;
    }
  }
  if (!cur) return std::nullopt;
  return *cur;
}

namespace {

std::optional<Json> EvalOperand(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::kValue:
      return o.value;
    case Operand::kPath:
      return ResolvePath(item, o.path);
    case Operand::kSize: {
      auto v = ResolvePath(item, o.path);
      if (!v) return std::nullopt;
      auto n = SizeOf(*v);
      if (!n) return std::nullopt;
      return NumberValue(std::to_string(*n));
    }
    default:
      return std::nullopt;
  }
}

std::string OperandTypeName(const Json& v) {
  static const std::map<std::string, std::string> names = {
      {"S", "S"}, {"N", "N"}, {"B", "B"}, {"BOOL", "BOOL"}, {"NULL", "NULL"},
      {"SS", "SS"}, {"NS", "NS"}, {"BS", "BS"}, {"L", "L"}, {"M", "M"}};
  auto it = names.find(TypeOf(v));
  return it == names.end() ? "?" : it->second;
}

// attribute_type(path, :type)
Result<bool> EvaluateAttributeType(const Condition& c, const Json& item) {
  auto t = EvalOperand(c.operands[1], item);
  if (!t || TypeOf(*t) != "S")
    return DdbValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                         "operator or function: attribute_type, operand type: " + (t ? OperandTypeName(*t) : "?"));
  static const std::set<std::string> kValid = {"S", "SS", "N", "NS", "B", "BS", "BOOL", "NULL", "L", "M"};
  const std::string& want = TextOf(*t);
  if (!kValid.count(want))
    return DdbValidation("Invalid ConditionExpression: Invalid attribute type name found; type: " + want +
                         ", valid types: { B,NULL,SS,BOOL,L,BS,N,NS,S,M };");
  auto v = ResolvePath(item, c.operands[0].path);
  return v && TypeOf(*v) == want;
}

// begins_with(path, prefix): strings and binaries.
Result<bool> EvaluateBeginsWith(const Condition& c, const Json& item) {
  auto prefix = EvalOperand(c.operands[1], item);
  if (c.operands[1].kind == Operand::kValue && prefix && TypeOf(*prefix) != "S" && TypeOf(*prefix) != "B")
    return DdbValidation("Invalid ConditionExpression: Incorrect operand type for operator or function; "
                         "operator or function: begins_with, operand type: " + OperandTypeName(*prefix));
  auto v = ResolvePath(item, c.operands[0].path);
  if (!v || !prefix || TypeOf(*v) != TypeOf(*prefix)) return false;
  std::string t = TypeOf(*v);
  return (t == "S" || t == "B") && StartsWith(BytesOf(*v), BytesOf(*prefix));
}

// contains(path, operand): a substring, a set member or a list element.
bool EvaluateContains(const Condition& c, const Json& item) {
  auto v = ResolvePath(item, c.operands[0].path);
  auto needle = EvalOperand(c.operands[1], item);
  if (!v || !needle) return false;
  std::string t = TypeOf(*v), nt = TypeOf(*needle);
  if ((t == "S" && nt == "S") || (t == "B" && nt == "B"))
    return BytesOf(*v).find(BytesOf(*needle)) != std::string::npos;
  if ((t == "SS" && nt == "S") || (t == "NS" && nt == "N") || (t == "BS" && nt == "B")) {
    for (const Json& e : ContentOf(*v))
      if (Equal(Json{{nt, e}}, *needle)) return true;
    return false;
  }
  if (const Json* list = ListOf(*v))
    for (const Json& e : *list)
      if (Equal(e, *needle)) return true;
  return false;
}

// a BETWEEN lo AND hi (lo greater than hi is an error, even for a missing a).
Result<bool> EvaluateBetween(const Condition& c, const Json& item) {
  auto v = EvalOperand(c.operands[0], item);
  auto lo = EvalOperand(c.operands[1], item);
  auto hi = EvalOperand(c.operands[2], item);
  if (lo && hi) {
    auto order = CompareScalars(*lo, *hi);
    if (order && *order > 0)
      return DdbValidation("Invalid ConditionExpression: The BETWEEN operator requires upper bound to be greater than "
                           "or equal to lower bound; lower bound operand: AttributeValue: {" + TypeOf(*lo) + ":" +
                           TextOf(*lo) + "}, upper bound operand: AttributeValue: {" + TypeOf(*hi) + ":" +
                           TextOf(*hi) + "}");
  }
  if (!v || !lo || !hi) return false;
  auto a = CompareScalars(*v, *lo), b = CompareScalars(*v, *hi);
  return a && b && *a >= 0 && *b <= 0;
}

}  // namespace

Result<bool> Evaluate(const Condition& c, const Json& item) {
  if (CancelRequested()) return CheckCancelled();  // shutting down
  switch (c.kind) {
    case Condition::kAnd:
      for (const Condition& child : c.children) {
        CK_ASSIGN_OR_RETURN(bool a, Evaluate(child, item));
        if (!a) return false;
      }
      return true;
    case Condition::kOr:
      for (const Condition& child : c.children) {
        CK_ASSIGN_OR_RETURN(bool a, Evaluate(child, item));
        if (a) return true;
      }
      return false;
    case Condition::kNot: {
      CK_ASSIGN_OR_RETURN(bool a, Evaluate(c.children[0], item));
      return !a;
    }
    case Condition::kExists:
      return ResolvePath(item, c.operands[0].path).has_value();
    case Condition::kNotExists:
      return !ResolvePath(item, c.operands[0].path).has_value();
    case Condition::kType:
      return EvaluateAttributeType(c, item);
    case Condition::kBeginsWith:
      return EvaluateBeginsWith(c, item);
    case Condition::kContains:
      return EvaluateContains(c, item);
    case Condition::kIn: {
      auto v = EvalOperand(c.operands[0], item);
      if (!v) return false;
      for (size_t i = 1; i < c.operands.size(); ++i) {
        auto o = EvalOperand(c.operands[i], item);
        if (o && Equal(*v, *o)) return true;
      }
      return false;
    }
    case Condition::kBetween:
      return EvaluateBetween(c, item);
    case Condition::kCompare: {
      auto a = EvalOperand(c.operands[0], item);
      auto b = EvalOperand(c.operands[1], item);
      if (c.op == "<>") {
        // A missing attribute is "not equal" to any value (DynamoDB semantics).
        if (!a || !b) return true;
        return !Equal(*a, *b);
      }
      if (!a || !b) return false;
      if (c.op == "=") return Equal(*a, *b);
      auto order = CompareScalars(*a, *b);
      if (!order) return false;
      if (c.op == "<") return *order < 0;
      if (c.op == "<=") return *order <= 0;
      if (c.op == ">") return *order > 0;
      return *order >= 0;
    }
  }
  return false;
}

namespace {

// Places `value` at `path` inside *root (an item), creating maps for the
// projection output. List elements are appended in projection order.
void PlaceProjected(Json* root, const Path& path, const Json& value) {
  Json* cur = root;  // item level: object of name → AV
  for (size_t i = 0; i < path.size(); ++i) {
    const PathElem& e = path[i];
    bool last = i + 1 == path.size();
    if (i == 0) {
      if (last) {
        (*cur)[e.name] = value;
        return;
      }
      bool next_list = path[i + 1].index >= 0;
      if (!cur->contains(e.name)) (*cur)[e.name] = next_list ? ListValue() : MapValue();
      cur = &(*cur)[e.name];
      continue;
    }
    bool next_list = !last && path[i + 1].index >= 0;
    Json fresh = last ? value : (next_list ? ListValue() : MapValue());
    if (e.index >= 0) {
      Json* list = ListOf(cur);
      if (!list) return;  // another projected path made it a map
      list->push_back(fresh);
      cur = &list->back();
    } else {
      Json* map = MapOf(cur);
      if (!map) return;  // another projected path made it a list
      if (last) {
        (*map)[e.name] = fresh;
        return;
      }
      if (!map->contains(e.name)) (*map)[e.name] = fresh;
      cur = &(*map)[e.name];
    }
  }
}

}  // namespace

Json Project(const Json& item, const std::vector<Path>& paths) {
  Json out = Json::object();
  for (const Path& p : paths) {
    auto v = ResolvePath(item, p);
    if (v) PlaceProjected(&out, p, *v);
  }
  return out;
}

namespace {

Status InvalidPath() {
  return DdbValidation("The document path provided in the update expression is invalid for update");
}

Status OperandType(const std::string& op, const Json& v) {
  return DdbValidation("Invalid UpdateExpression: Incorrect operand type for operator or function; operator: " + op +
                       ", operand type: " + OperandTypeName(v));
}

Result<Json> EvalSetValue(const Operand& o, const Json& item) {
  switch (o.kind) {
    case Operand::kValue:
      return o.value;
    case Operand::kPath: {
      auto v = ResolvePath(item, o.path);
      if (!v)
        return DdbValidation("The provided expression refers to an attribute that does not exist in the item");
      return *v;
    }
    case Operand::kIfNotExists: {
      auto v = ResolvePath(item, o.args[0].path);
      if (v) return *v;
      return EvalSetValue(o.args[1], item);
    }
    case Operand::kListAppend: {
      CK_ASSIGN_OR_RETURN(Json a, EvalSetValue(o.args[0], item));
      CK_ASSIGN_OR_RETURN(Json b, EvalSetValue(o.args[1], item));
      if (TypeOf(a) != "L") return OperandType("list_append", a);
      if (TypeOf(b) != "L") return OperandType("list_append", b);
      Json out = a;
      for (const Json& e : *ListOf(b)) ListOf(&out)->push_back(e);
      return out;
    }
    case Operand::kPlus:
    case Operand::kMinus: {
      CK_ASSIGN_OR_RETURN(Json a, EvalSetValue(o.args[0], item));
      CK_ASSIGN_OR_RETURN(Json b, EvalSetValue(o.args[1], item));
      const char* op = o.kind == Operand::kPlus ? "+" : "-";
      if (TypeOf(a) != "N") return OperandType(op, a);
      if (TypeOf(b) != "N") return OperandType(op, b);
      auto x = Decimal::Parse(TextOf(a));
      auto y = Decimal::Parse(TextOf(b));
      auto r = Decimal::Add(*x, o.kind == Operand::kPlus ? *y : y->Negated());
      if (!r) return DdbValidation("Number overflow. Attempting to store a number with magnitude larger than supported range");
      return NumberValue(r->ToString());
    }
    default:
      return InvalidPath();
  }
}

// The container that holds the last element of `path` (nullptr when a parent is missing).
Json* Parent(Json* item, const Path& path) {
  if (path.size() == 1) return item;
  if (!item->contains(path[0].name)) return nullptr;
  Json* cur = &(*item)[path[0].name];
  for (size_t i = 1; i + 1 < path.size(); ++i) {
    const PathElem& e = path[i];
    if (e.index >= 0) {
      Json* list = ListOf(cur);
      if (!list || static_cast<size_t>(e.index) >= list->size()) return nullptr;
      cur = &(*list)[static_cast<size_t>(e.index)];
    } else {
      Json* map = MapOf(cur);
      if (!map || !map->contains(e.name)) return nullptr;
      cur = &(*map)[e.name];
    }
  }
  return cur;
}

Status Assign(Json* item, const Path& path, Json value) {
  Json* parent = Parent(item, path);
  if (!parent) return InvalidPath();
  const PathElem& last = path.back();
  if (path.size() == 1) {
    (*item)[last.name] = std::move(value);
    return Status::Ok();
  }
  if (last.index >= 0) {
    Json* list = ListOf(parent);
    if (!list) return InvalidPath();
    if (static_cast<size_t>(last.index) >= list->size()) list->push_back(std::move(value));
    else (*list)[static_cast<size_t>(last.index)] = std::move(value);
  } else {
    Json* map = MapOf(parent);
    if (!map) return InvalidPath();
    (*map)[last.name] = std::move(value);
  }
  return Status::Ok();
}

void Remove(Json* item, const Path& path) {
  Json* parent = Parent(item, path);
  if (!parent) return;
  const PathElem& last = path.back();
  if (path.size() == 1) {
    item->erase(last.name);
  } else if (last.index >= 0) {
    if (Json* list = ListOf(parent); list && static_cast<size_t>(last.index) < list->size())
      list->erase(static_cast<size_t>(last.index));
  } else if (Json* map = MapOf(parent)) {
    map->erase(last.name);
  }
}

}  // namespace

Status ApplyUpdate(const std::vector<UpdateAction>& actions, Json* item) {
  // Values are computed against the item as it was before the update (AWS semantics).
  const Json before = *item;
  std::vector<std::pair<const UpdateAction*, Json>> sets;
  for (const auto& a : actions)
    if (a.kind == UpdateAction::kSet) {
      CK_ASSIGN_OR_RETURN(Json v, EvalSetValue(a.value, before));
      CK_RETURN_IF_ERROR(ValidateAndNormalize(&v));
      sets.emplace_back(&a, std::move(v));
    }
  for (auto& [a, v] : sets) CK_RETURN_IF_ERROR(Assign(item, a->path, std::move(v)));
  // REMOVE list elements from the highest index down, so indexes refer to the original list.
  std::vector<const UpdateAction*> removes;
  for (const auto& a : actions)
    if (a.kind == UpdateAction::kRemove) removes.push_back(&a);
  std::stable_sort(removes.begin(), removes.end(),
                   [](const UpdateAction* x, const UpdateAction* y) { return x->path.back().index > y->path.back().index; });
  for (const auto* a : removes) Remove(item, a->path);
  for (const auto& a : actions) {
    if (a.kind != UpdateAction::kAdd && a.kind != UpdateAction::kDelete) continue;
    const Json& v = a.value.value;
    std::string vt = TypeOf(v);
    auto cur = ResolvePath(*item, a.path);
    const char* op = a.kind == UpdateAction::kAdd ? "ADD" : "DELETE";
    bool is_set = vt == "SS" || vt == "NS" || vt == "BS";
    if (a.kind == UpdateAction::kAdd && vt == "N") {
      if (cur && TypeOf(*cur) != "N")
        return DdbValidation("An operand in the update expression has an incorrect data type");
      auto base = Decimal::Parse(cur ? TextOf(*cur) : std::string("0"));
      auto r = Decimal::Add(*base, *Decimal::Parse(TextOf(v)));
      if (!r) return DdbValidation("Number overflow. Attempting to store a number with magnitude larger than supported range");
      CK_RETURN_IF_ERROR(Assign(item, a.path, NumberValue(r->ToString())));
      continue;
    }
    if (!is_set) return OperandType(op, v);
    if (cur && TypeOf(*cur) != vt) return DdbValidation("An operand in the update expression has an incorrect data type");
    Json result = cur ? *cur : Json{{vt, Json::array()}};
    if (a.kind == UpdateAction::kAdd) {
      for (const Json& e : ContentOf(v)) {
        bool found = false;
        for (const Json& x : ContentOf(result)) found = found || Equal(Json{{vt.substr(0, 1), x}}, Json{{vt.substr(0, 1), e}});
        if (!found) ContentOf(result).push_back(e);
      }
      CK_RETURN_IF_ERROR(Assign(item, a.path, std::move(result)));
    } else {
      if (!cur) continue;
      Json kept = Json::array();
      for (const Json& x : ContentOf(result)) {
        bool drop = false;
        for (const Json& e : ContentOf(v)) drop = drop || Equal(Json{{vt.substr(0, 1), x}}, Json{{vt.substr(0, 1), e}});
        if (!drop) kept.push_back(x);
      }
      if (kept.empty()) Remove(item, a.path);
      else CK_RETURN_IF_ERROR(Assign(item, a.path, Json{{vt, kept}}));
    }
  }
  return Status::Ok();
}

}  // namespace ck::services::ddb
