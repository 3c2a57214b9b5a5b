// KeyCatalog: a read-only view of the KMS keys and aliases as KMS serves
// them, for readers outside KMS that describe state (the web console). It
// records no CloudTrail event, authorizes nothing and creates no key (an AWS
// managed key that was never used is simply absent).
//
// Thread safety: implementations are safe for concurrent use.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/kms/key_model.h"

namespace ck::services::kms {

class KeyCatalog {
 public:
  virtual ~KeyCatalog() = default;
  // Every account's keys in the region, unordered.
  virtual std::vector<std::shared_ptr<const core::kms::KeyRecord>> AllKeys(const std::string& region) = 0;
  // The account's aliases in the region, by name.
  virtual std::vector<core::kms::AliasRecord> ListAliases(const std::string& account, const std::string& region) = 0;
  // One key (null when absent), and an alias's target key id.
  virtual std::shared_ptr<const core::kms::KeyRecord> FindKey(const std::string& account, const std::string& region,
                                                              const std::string& key_id) = 0;
  virtual std::optional<std::string> FindAlias(const std::string& account, const std::string& region,
                                               const std::string& alias_name) = 0;
};

}  // namespace ck::services::kms
