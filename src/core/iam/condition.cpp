#include "core/iam/condition.h"

#include <arpa/inet.h>

#include <charconv>
#include <cstring>

#include "base/clock.h"
#include "core/iam/wildcard.h"

namespace ck::core::iam {
namespace {

struct OpName {
  const char* name;
  ConditionOp op;
  bool negated;
};

constexpr OpName kOps[] = {
    {"StringEquals", ConditionOp::kStringEquals, false},
    {"StringNotEquals", ConditionOp::kStringEquals, true},
    {"StringEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase, false},
    {"StringNotEqualsIgnoreCase", ConditionOp::kStringEqualsIgnoreCase, true},
    {"StringLike", ConditionOp::kStringLike, false},
    {"StringNotLike", ConditionOp::kStringLike, true},
    {"NumericEquals", ConditionOp::kNumericEquals, false},
    {"NumericNotEquals", ConditionOp::kNumericEquals, true},
    {"NumericLessThan", ConditionOp::kNumericLessThan, false},
    {"NumericLessThanEquals", ConditionOp::kNumericLessThanEquals, false},
    {"NumericGreaterThan", ConditionOp::kNumericGreaterThan, false},
    {"NumericGreaterThanEquals", ConditionOp::kNumericGreaterThanEquals, false},
    {"DateEquals", ConditionOp::kDateEquals, false},
    {"DateNotEquals", ConditionOp::kDateEquals, true},
    {"DateLessThan", ConditionOp::kDateLessThan, false},
    {"DateLessThanEquals", ConditionOp::kDateLessThanEquals, false},
    {"DateGreaterThan", ConditionOp::kDateGreaterThan, false},
    {"DateGreaterThanEquals", ConditionOp::kDateGreaterThanEquals, false},
    {"Bool", ConditionOp::kBool, false},
    {"BinaryEquals", ConditionOp::kBinaryEquals, false},
    {"IpAddress", ConditionOp::kIpAddress, false},
    {"NotIpAddress", ConditionOp::kIpAddress, true},
    {"ArnEquals", ConditionOp::kArnEquals, false},
    {"ArnNotEquals", ConditionOp::kArnEquals, true},
    {"ArnLike", ConditionOp::kArnLike, false},
    {"ArnNotLike", ConditionOp::kArnLike, true},
    {"Null", ConditionOp::kNull, false},
};

bool IsNumericOp(ConditionOp op) { return op >= ConditionOp::kNumericEquals && op <= ConditionOp::kNumericGreaterThanEquals; }
bool IsDateOp(ConditionOp op) { return op >= ConditionOp::kDateEquals && op <= ConditionOp::kDateGreaterThanEquals; }

bool ParseNumber(std::string_view s, double* out) {
  s = std::string_view(s.data(), s.size());
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  auto res = std::from_chars(s.data(), s.data() + s.size(), *out);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

// Compares a (context) with b (policy) for the ordered operators.
bool Compare(ConditionOp op, double a, double b) {
  switch (op) {
    case ConditionOp::kNumericEquals:
    case ConditionOp::kDateEquals:
      return a == b;
    case ConditionOp::kNumericLessThan:
    case ConditionOp::kDateLessThan:
      return a < b;
    case ConditionOp::kNumericLessThanEquals:
    case ConditionOp::kDateLessThanEquals:
      return a <= b;
    case ConditionOp::kNumericGreaterThan:
    case ConditionOp::kDateGreaterThan:
      return a > b;
    case ConditionOp::kNumericGreaterThanEquals:
    case ConditionOp::kDateGreaterThanEquals:
      return a >= b;
    default:
      return false;
  }
}

bool UsesGlob(ConditionOp op) {
  return op == ConditionOp::kStringLike || op == ConditionOp::kArnLike || op == ConditionOp::kArnEquals;
}

// Does one context value match at least one policy value (positive form)?
bool MatchesAnyPolicyValue(const Condition& c, std::string_view ctx, const ValueSource& source) {
  const ConditionOp op = c.spec.op;
  double ctx_num = 0;
  IpRange ctx_ip;
  if (IsNumericOp(op)) {
    if (!ParseNumber(ctx, &ctx_num)) return false;
  } else if (IsDateOp(op)) {
    if (!ParsePolicyDate(ctx, &ctx_num)) return false;
  } else if (op == ConditionOp::kIpAddress) {
    if (!ParseIpRange(ctx, &ctx_ip)) return false;
  }
  thread_local std::string buf;
  for (const ConditionValue& v : c.values) {
    std::string_view pv = v.text.raw();
    bool resolved_now = v.text.needs_resolve();
    if (resolved_now) {
      if (!v.text.Resolve(source, UsesGlob(op), &buf)) continue;
      pv = buf;
    }
    switch (op) {
      case ConditionOp::kStringEquals:
      case ConditionOp::kBinaryEquals:
        if (ctx == pv) return true;
        break;
      case ConditionOp::kStringEqualsIgnoreCase:
      case ConditionOp::kBool:
        if (EqualsIgnoreCase(ctx, pv)) return true;
        break;
      case ConditionOp::kStringLike:
        if (GlobMatch(pv, ctx)) return true;
        break;
      case ConditionOp::kArnEquals:
      case ConditionOp::kArnLike:
        if (ArnGlobMatch(pv, ctx)) return true;
        break;
      case ConditionOp::kIpAddress: {
        IpRange range;
        if (resolved_now) {
          if (!ParseIpRange(pv, &range)) break;
        } else if (v.ip_ok) {
          range = v.ip;
        } else {
          break;
        }
        if (IpInRange(range, ctx_ip)) return true;
        break;
      }
      case ConditionOp::kNull:
        break;
      default: {  // numeric and date
        double n = 0;
        if (resolved_now) {
          bool ok = IsDateOp(op) ? ParsePolicyDate(pv, &n) : ParseNumber(pv, &n);
          if (!ok) break;
        } else if (v.number_ok) {
          n = v.number;
        } else {
          break;
        }
        if (Compare(op, ctx_num, n)) return true;
        break;
      }
    }
  }
  return false;
}

}  // namespace

Result<OperatorSpec> ParseConditionOperator(std::string_view name) {
  OperatorSpec spec;
  std::string_view rest = name;
  constexpr std::string_view kAny = "ForAnyValue:", kAll = "ForAllValues:", kIfExists = "IfExists";
  if (rest.size() > kAny.size() && EqualsIgnoreCase(rest.substr(0, kAny.size()), kAny)) {
    spec.set = SetQualifier::kForAnyValue;
    rest.remove_prefix(kAny.size());
  } else if (rest.size() > kAll.size() && EqualsIgnoreCase(rest.substr(0, kAll.size()), kAll)) {
    spec.set = SetQualifier::kForAllValues;
    rest.remove_prefix(kAll.size());
  }
  if (rest.size() > kIfExists.size() && EqualsIgnoreCase(rest.substr(rest.size() - kIfExists.size()), kIfExists)) {
    spec.if_exists = true;
    rest.remove_suffix(kIfExists.size());
  }
  for (const OpName& o : kOps) {
    if (EqualsIgnoreCase(rest, o.name)) {
      spec.op = o.op;
      spec.negated = o.negated;
      if (spec.op == ConditionOp::kNull && spec.if_exists) break;
      return spec;
    }
  }
  return InvalidArgument("unknown condition operator " + std::string(name));
}

bool ParseIpRange(std::string_view text, IpRange* out) {
  if (text.empty() || text.size() > 64) return false;
  char addr[65];
  size_t slash = text.find('/');
  std::string_view a = text.substr(0, slash);
  std::memcpy(addr, a.data(), a.size());
  addr[a.size()] = '\0';
  IpRange r;
  r.v6 = a.find(':') != std::string_view::npos;
  if (inet_pton(r.v6 ? AF_INET6 : AF_INET, addr, r.bytes) != 1) return false;
  int max_bits = r.v6 ? 128 : 32;
  r.prefix = max_bits;
  if (slash != std::string_view::npos) {
    std::string_view p = text.substr(slash + 1);
    int bits = 0;
    auto res = std::from_chars(p.data(), p.data() + p.size(), bits);
    if (p.empty() || res.ec != std::errc() || res.ptr != p.data() + p.size() || bits < 0 || bits > max_bits) {
      return false;
    }
    r.prefix = bits;
  }
  *out = r;
  return true;
}

bool IpInRange(const IpRange& range, const IpRange& addr) {
  if (range.v6 != addr.v6) return false;
  int bits = range.prefix;
  int i = 0;
  for (; bits >= 8; bits -= 8, ++i) {
    if (range.bytes[i] != addr.bytes[i]) return false;
  }
  if (bits > 0) {
    uint8_t mask = static_cast<uint8_t>(0xFF << (8 - bits));
    if ((range.bytes[i] & mask) != (addr.bytes[i] & mask)) return false;
  }
  return true;
}

bool ParsePolicyDate(std::string_view text, double* epoch_seconds) {
  if (text.empty()) return false;
  if (text.find('-', 1) == std::string_view::npos) return ParseNumber(text, epoch_seconds);
  std::optional<TimePoint> t;
  if (text.size() == 10) {
    std::string full(text);
    full += "T00:00:00Z";
    t = ParseIso8601(full);
  } else {
    t = ParseIso8601(text);
  }
  if (!t) return false;
  *epoch_seconds = ToEpochSeconds(*t);
  return true;
}

ConditionValue MakeConditionValue(ConditionOp op, std::string_view raw, bool variables_enabled) {
  ConditionValue v;
  v.text = PolicyString::Parse(raw, variables_enabled);
  if (v.text.needs_resolve()) return v;
  if (IsNumericOp(op)) {
    v.number_ok = ParseNumber(raw, &v.number);
  } else if (IsDateOp(op)) {
    v.number_ok = ParsePolicyDate(raw, &v.number);
  } else if (op == ConditionOp::kIpAddress) {
    v.ip_ok = ParseIpRange(raw, &v.ip);
  }
  return v;
}

bool EvaluateCondition(const Condition& c, const ValueSource& source) {
  auto ctx = source.Lookup(c.key);
  if (c.spec.op == ConditionOp::kNull) {
    const bool absent = ctx.empty();
    for (const ConditionValue& v : c.values) {
      if (EqualsIgnoreCase(v.text.raw(), "true") && absent) return true;
      if (EqualsIgnoreCase(v.text.raw(), "false") && !absent) return true;
    }
    return false;
  }
  if (ctx.empty()) {
    if (c.spec.if_exists) return true;
    if (c.spec.set == SetQualifier::kForAllValues) return true;
    if (c.spec.set == SetQualifier::kForAnyValue) return false;
    return c.spec.negated;
  }
  switch (c.spec.set) {
    case SetQualifier::kNone: {
      bool any = false;
      for (const std::string& v : ctx) {
        if (MatchesAnyPolicyValue(c, v, source)) {
          any = true;
          break;
        }
      }
      return c.spec.negated ? !any : any;
    }
    case SetQualifier::kForAnyValue:
      for (const std::string& v : ctx) {
        if (MatchesAnyPolicyValue(c, v, source) != c.spec.negated) return true;
      }
      return false;
    case SetQualifier::kForAllValues:
      for (const std::string& v : ctx) {
        if (MatchesAnyPolicyValue(c, v, source) == c.spec.negated) return false;
      }
      return true;
  }
  return false;
}

}  // namespace ck::core::iam
