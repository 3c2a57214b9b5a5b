#include "core/iam/policy_string.h"

#include "core/iam/wildcard.h"

namespace ck::core::iam {
namespace {

void AppendValue(std::string_view value, bool glob, std::string* out) {
  if (!glob) {
    out->append(value);
    return;
  }
  for (char c : value) {
    if (c == '*') {
      out->push_back(kLiteralStar);
    } else if (c == '?') {
      out->push_back(kLiteralQuestion);
    } else {
      out->push_back(c);
    }
  }
}

bool IsSpace(char c) { return c == ' ' || c == '\t'; }

}  // namespace

std::span<const std::string> ValueSource::Lookup(std::string_view key) const {
  if (keys != nullptr) {
    auto it = keys->find(key);
    if (it != keys->end()) return it->second;
  }
  if (service_keys != nullptr) {
    auto found = service_keys->Find(key);
    if (!found.empty()) return found;
  }
  if (global_keys != nullptr) {
    auto found = global_keys->Find(key);
    if (!found.empty()) return found;
  }
  if (principal == nullptr) return {};
  const Principal& p = *principal;
  if (p.type == Principal::kAnonymous || p.type == Principal::kService) return {};
  auto one = [](const std::string& s) {
    return s.empty() ? std::span<const std::string>() : std::span<const std::string>(&s, 1);
  };
  if (EqualsIgnoreCase(key, "aws:PrincipalArn")) {
    return one(p.type == Principal::kAssumedRole && !p.role_arn.empty() ? p.role_arn : p.arn);
  }
  if (EqualsIgnoreCase(key, "aws:PrincipalAccount")) return one(p.account);
  if (EqualsIgnoreCase(key, "aws:userid")) return one(p.user_id);
  if (EqualsIgnoreCase(key, "aws:username") && p.type == Principal::kUser) return one(p.username);
  return {};
}

PolicyString PolicyString::Parse(std::string_view raw, bool variables_enabled) {
  PolicyString ps;
  ps.raw_ = std::string(raw);
  if (!variables_enabled || raw.find("${") == std::string_view::npos) return ps;

  std::vector<Segment> segs;
  std::string literal;
  size_t i = 0;
  while (i < raw.size()) {
    if (raw[i] != '$' || i + 1 >= raw.size() || raw[i + 1] != '{') {
      literal.push_back(raw[i++]);
      continue;
    }
    // Try to parse ${ key [, 'default'] }.
    size_t j = i + 2;
    while (j < raw.size() && IsSpace(raw[j])) ++j;
    size_t key_start = j;
    while (j < raw.size() && raw[j] != '}' && raw[j] != ',' && !IsSpace(raw[j]) && raw[j] != '\'') ++j;
    std::string_view key = raw.substr(key_start, j - key_start);
    while (j < raw.size() && IsSpace(raw[j])) ++j;
    bool ok = !key.empty() && j < raw.size();
    bool has_default = false;
    std::string def;
    if (ok && raw[j] == ',') {
      ++j;
      while (j < raw.size() && IsSpace(raw[j])) ++j;
      ok = j < raw.size() && raw[j] == '\'';
      if (ok) {
        ++j;
        ok = false;
        while (j < raw.size()) {
          if (raw[j] == '\'') {
            if (j + 1 < raw.size() && raw[j + 1] == '\'') {
              def.push_back('\'');
              j += 2;
              continue;
            }
            ++j;
            ok = true;
            break;
          }
          def.push_back(raw[j++]);
        }
        has_default = ok;
        while (ok && j < raw.size() && IsSpace(raw[j])) ++j;
      }
    }
    ok = ok && j < raw.size() && raw[j] == '}';
    if (!ok) {
      literal.push_back(raw[i++]);
      continue;
    }
    if (!literal.empty()) {
      segs.push_back(Segment{Segment::kLiteral, std::move(literal), false, {}});
      literal.clear();
    }
    if (!has_default && (key == "*" || key == "?" || key == "$")) {
      segs.push_back(Segment{Segment::kEscape, std::string(key), false, {}});
    } else {
      segs.push_back({Segment::kVariable, std::string(key), has_default, std::move(def)});
    }
    i = j + 1;
  }
  if (!literal.empty()) segs.push_back(Segment{Segment::kLiteral, std::move(literal), false, {}});
  // Only literal text after all (every "${" was malformed): nothing to resolve.
  bool all_literal = true;
  for (const Segment& s : segs) all_literal = all_literal && s.kind == Segment::kLiteral;
  if (!all_literal) ps.segments_ = std::move(segs);
  return ps;
}

bool PolicyString::Resolve(const ValueSource& source, bool glob, std::string* out) const {
  out->clear();
  if (segments_.empty()) {
    out->append(raw_);
    return true;
  }
  for (const Segment& s : segments_) {
    switch (s.kind) {
      case Segment::kLiteral:
        out->append(s.text);
        break;
      case Segment::kEscape:
        AppendValue(s.text, glob, out);
        break;
      case Segment::kVariable: {
        auto values = source.Lookup(s.text);
        if (values.size() == 1) {
          AppendValue(values[0], glob, out);
        } else if (s.has_default) {
          AppendValue(s.default_value, glob, out);
        } else {
          return false;
        }
        break;
      }
    }
  }
  return true;
}

}  // namespace ck::core::iam
