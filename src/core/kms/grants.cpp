#include "core/kms/grants.h"

#include <algorithm>

#include "base/codec.h"

namespace ck::core::kms {

namespace {

constexpr std::string_view kTokenMagic = "ckgrant1\n";

bool Includes(const std::vector<std::string>& operations, std::string_view op) {
  return std::find(operations.begin(), operations.end(), op) != operations.end();
}

bool ContextSatisfies(const GrantConstraints& c, const EncryptionContext* context) {
  if (c.context_equals && (!context || *context != *c.context_equals)) return false;
  if (c.context_subset) {
    if (!context) return false;
    for (const auto& [k, v] : *c.context_subset) {
      auto it = context->find(k);
      if (it == context->end() || it->second != v) return false;
    }
  }
  return true;
}

}  // namespace

bool PrincipalMatches(const Principal& p, std::string_view who) {
  if (who == p.arn || (!p.role_arn.empty() && who == p.role_arn)) return true;
  if (!p.service.empty() && who == p.service) return true;
  constexpr std::string_view kPrefix = "arn:aws:iam::", kRoot = ":root";
  return who.size() == kPrefix.size() + p.account.size() + kRoot.size() && who.starts_with(kPrefix) &&
         who.ends_with(kRoot) && who.substr(kPrefix.size(), p.account.size()) == p.account;
}

bool GrantAllows(const KeyRecord& key, const Principal& p, std::string_view operation,
                 const EncryptionContext* context) {
  for (const auto& g : key.grants)
    if (PrincipalMatches(p, g.grantee) && Includes(g.operations, operation) && ContextSatisfies(g.constraints, context))
      return true;
  return false;
}

bool MayRetire(const Grant& g, const Principal& p) {
  if (!g.retiring.empty() && PrincipalMatches(p, g.retiring)) return true;
  return PrincipalMatches(p, g.grantee) && Includes(g.operations, "RetireGrant");
}

const Grant* FindGrant(const KeyRecord& key, std::string_view grant_id) {
  const Grant* found = nullptr;
  for (const auto& g : key.grants)
    if (g.grant_id == grant_id) found = &g;
  return found;
}

const Grant* SameGrant(const KeyRecord& key, const Grant& r) {
  if (r.name.empty()) return nullptr;
  for (const auto& g : key.grants)
    if (g.name == r.name && g.grantee == r.grantee && g.operations == r.operations && g.retiring == r.retiring)
      return &g;
  return nullptr;
}

std::string GrantToken(const std::string& key_arn, const std::string& grant_id, std::string_view nonce) {
  std::string raw(kTokenMagic);
  raw.append(key_arn).append("\n").append(grant_id).append("\n").append(nonce);
  return Base64Encode(raw);
}

std::optional<GrantRef> ParseGrantToken(std::string_view token) {
  auto raw = Base64Decode(token);
  if (!raw || !raw->starts_with(kTokenMagic)) return std::nullopt;
  size_t a = kTokenMagic.size() - 1;
  size_t b = raw->find('\n', a + 1);
  size_t e = b == std::string::npos ? b : raw->find('\n', b + 1);
  if (e == std::string::npos) return std::nullopt;
  return GrantRef{raw->substr(a + 1, b - a - 1), raw->substr(b + 1, e - b - 1)};
}

}  // namespace ck::core::kms
