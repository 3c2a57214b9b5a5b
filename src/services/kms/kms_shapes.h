// KMS records as the API shows them: a key as KeyMetadata, a grant as a
// GrantListEntry, an alias as an AliasListEntry, and list pages.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "api/kms.h"
#include "core/kms/key_model.h"

namespace ck::services::kms {

// The KeyMetadata of DescribeKey and CreateKey.
api::kms::KeyMetadata MetadataOf(const core::kms::KeyRecord& key);
api::kms::GrantListEntry GrantEntryOf(const core::kms::KeyRecord& key, const core::kms::Grant& grant);
api::kms::AliasListEntry AliasEntryOf(const core::kms::AliasRecord& alias);

// An enum member from its wire text (unknown texts are kept as given).
template <typename E>
EnumValue<E> EnumOf(std::string_view text) {
  return EnumValue<E>::Parse(text);
}
template <typename E>
std::vector<EnumValue<E>> EnumsOf(const std::vector<std::string>& texts) {
  std::vector<EnumValue<E>> out;
  out.reserve(texts.size());
  for (const auto& t : texts) out.push_back(EnumValue<E>::Parse(t));
  return out;
}
// An optional enum member's wire text, or "" when absent.
template <typename E>
std::string_view TextOf(const std::optional<EnumValue<E>>& v) {
  return v ? v->str() : std::string_view();
}

}  // namespace ck::services::kms
