#include "services/secretsmanager/catalog.h"

#include "services/common/record_table.h"
#include "services/secretsmanager/secret_record.h"

namespace ck::services::sm {

Result<std::vector<SecretSummary>> AllSecrets(storage::MetadataStore& store) {
  RecordTable<Secret> records(store, kSecrets);
  CK_ASSIGN_OR_RETURN(auto rows, records.ScanAll());
  std::vector<SecretSummary> out;
  out.reserve(rows.size());
  for (auto& [key, s] : rows) {
    const SecretVersion* current = s.WithStage("AWSCURRENT");
    out.push_back({std::move(s.name), std::move(s.arn), std::move(s.account), std::move(s.region),
                   std::move(s.kms_key_id), current ? current->key_arn : std::string()});
  }
  return out;
}

}  // namespace ck::services::sm
