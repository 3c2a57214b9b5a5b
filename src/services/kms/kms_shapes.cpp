#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;

ak::KeyMetadata MetadataOf(const core::kms::KeyRecord& k) {
  ak::KeyMetadata m;
  m.aws_account_id = k.account;
  m.key_id = k.id;
  m.arn = k.arn;
  m.creation_date = k.created;
  m.enabled = k.state == core::kms::KeyState::kEnabled;
  m.description = k.description;
  m.key_usage = EnumOf<ak::KeyUsageType>(k.usage);
  m.key_state = EnumOf<ak::KeyState>(core::kms::KeyStateName(k.state));
  m.origin = EnumOf<ak::OriginType>(k.origin);
  m.key_manager = EnumOf<ak::KeyManagerType>(k.manager);
  m.customer_master_key_spec = EnumOf<ak::CustomerMasterKeySpec>(k.spec);
  m.key_spec = EnumOf<ak::KeySpec>(k.spec);
  m.multi_region = k.multi_region();
  if (k.multi_region()) {
    ak::MultiRegionConfiguration mr;
    mr.multi_region_key_type = EnumOf<ak::MultiRegionKeyType>("PRIMARY");
    mr.primary_key = ak::MultiRegionKey{.arn = k.arn, .region = k.region};
    mr.replica_keys.emplace();
    m.multi_region_configuration = std::move(mr);
  }
  m.deletion_date = k.deletion_date;
  if (k.state == core::kms::KeyState::kPendingDeletion) m.pending_deletion_window_in_days = k.pending_window_days;
  // An EXTERNAL key shows the expiration of its current material while it is imported.
  if (k.external() && !k.materials.empty() && k.Current().imported() && k.Current().expiration_model)
    m.expiration_model = EnumOf<ak::ExpirationModelType>(*k.Current().expiration_model);
  if (k.external()) m.valid_to = k.NextExpiry();
  auto enc = core::kms::EncryptionAlgorithmsFor(k.spec, k.usage);
  if (!enc.empty()) m.encryption_algorithms = EnumsOf<ak::EncryptionAlgorithmSpec>(enc);
  auto sig = core::kms::SigningAlgorithmsFor(k.spec, k.usage);
  if (!sig.empty()) m.signing_algorithms = EnumsOf<ak::SigningAlgorithmSpec>(sig);
  auto agreement = core::kms::KeyAgreementAlgorithmsFor(k.spec, k.usage);
  if (!agreement.empty()) m.key_agreement_algorithms = EnumsOf<ak::KeyAgreementAlgorithmSpec>(agreement);
  auto mac = core::kms::MacAlgorithmsFor(k.spec);
  if (!mac.empty()) m.mac_algorithms = EnumsOf<ak::MacAlgorithmSpec>(mac);
  if (!k.materials.empty() && k.symmetric()) m.current_key_material_id = k.Current().material_id;
  return m;
}

ak::GrantListEntry GrantEntryOf(const core::kms::KeyRecord& k, const core::kms::Grant& g) {
  ak::GrantListEntry e;
  e.key_id = k.arn;
  e.grant_id = g.grant_id;
  e.creation_date = g.created;
  e.grantee_principal = g.grantee;
  e.issuing_account = g.issuing_account;
  e.operations = EnumsOf<ak::GrantOperation>(g.operations);
  if (!g.name.empty()) e.name = g.name;
  if (!g.retiring.empty()) e.retiring_principal = g.retiring;
  if (g.constraints.context_equals || g.constraints.context_subset) {
    ak::GrantConstraints c;
    c.encryption_context_equals = g.constraints.context_equals;
    c.encryption_context_subset = g.constraints.context_subset;
    e.constraints = std::move(c);
  }
  return e;
}

ak::AliasListEntry AliasEntryOf(const core::kms::AliasRecord& a) {
  ak::AliasListEntry e;
  e.alias_name = a.name;
  e.alias_arn = a.arn();
  e.target_key_id = a.target_key_id;
  e.creation_date = a.created;
  e.last_updated_date = a.updated;
  return e;
}

}  // namespace ck::services::kms
