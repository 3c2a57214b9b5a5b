// Key rotation: settings, status, on-demand rotation and its history.
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::KeyRecord;

namespace {

constexpr int kMaxOnDemandRotations = 10;

}  // namespace

Result<api::Empty> RotationOps::EnableKeyRotation(const ak::EnableKeyRotationRequest& in, KmsCall& c) {
  int days = in.rotation_period_in_days.value_or(365);
  return access_.WithKey(c, spec::kEnableKeyRotation, in.key_id, {}, [&](const KeyRecord& key) -> Result<api::Empty> {
    CK_RETURN_IF_ERROR(access_.Update(c, spec::kEnableKeyRotation, key, [&](KeyRecord& k) {
                         if (!k.rotation_enabled || k.rotation_period_days != days)
                           k.next_rotation = c.now + std::chrono::hours(24) * days;
                         k.rotation_enabled = true;
                         k.rotation_period_days = days;
                         return Status::Ok();
                       }).status());
    return api::Empty{};
  });
}

Result<api::Empty> RotationOps::DisableKeyRotation(const ak::DisableKeyRotationRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kDisableKeyRotation, in.key_id, {}, [&](const KeyRecord& key) -> Result<api::Empty> {
    CK_RETURN_IF_ERROR(access_.Update(c, spec::kDisableKeyRotation, key, [](KeyRecord& k) {
                         k.rotation_enabled = false;
                         k.next_rotation.reset();
                         return Status::Ok();
                       }).status());
    return api::Empty{};
  });
}

Result<ak::GetKeyRotationStatusResponse> RotationOps::GetKeyRotationStatus(const ak::GetKeyRotationStatusRequest& in,
                                                                           KmsCall& c) {
  return access_.WithKey(c, spec::kGetKeyRotationStatus, in.key_id, {},
                         [&](const KeyRecord& k) -> Result<ak::GetKeyRotationStatusResponse> {
                           ak::GetKeyRotationStatusResponse out;
                           out.key_rotation_enabled = k.rotation_enabled;
                           out.key_id = k.arn;
                           if (k.rotation_enabled) {
                             out.rotation_period_in_days = k.rotation_period_days;
                             out.next_rotation_date = k.next_rotation;
                           }
                           return out;
                         });
}

Result<ak::RotateKeyOnDemandResponse> RotationOps::RotateKeyOnDemand(const ak::RotateKeyOnDemandRequest& in,
                                                                     KmsCall& c) {
  return access_.WithKey(
      c, spec::kRotateKeyOnDemand, in.key_id, {}, [&](const KeyRecord& key) -> Result<ak::RotateKeyOnDemandResponse> {
        CK_ASSIGN_OR_RETURN(auto k, access_.Update(c, spec::kRotateKeyOnDemand, key, [&](KeyRecord& k) -> Status {
                              // Imported material rotates to the material imported for it (ImportType
                              // NEW_KEY_MATERIAL); recorded message.
                              if (k.external() && !(k.pending_material && k.pending_material->imported()))
                                return errors::InvalidState("No available key material pending rotation for the key: " +
                                                            k.arn + ".");
                              int on_demand = 0;
                              for (const auto& m : k.materials) on_demand += m.rotation_type == "ON_DEMAND";
                              if (on_demand >= kMaxOnDemandRotations)
                                return errors::LimitExceeded(
                                    "The on-demand rotations limit has been reached for the given keyId. No more "
                                    "on-demand rotations can be performed for this key: " +
                                    k.arn);
                              if (k.external()) {
                                core::kms::MaterialVersion m = std::move(*k.pending_material);
                                k.pending_material.reset();
                                m.rotation_type = "ON_DEMAND";
                                m.created = c.now;  // the rotation date
                                k.materials.push_back(std::move(m));
                                return Status::Ok();
                              }
                              // AWS rotates asynchronously; here the new material is current when the call returns.
                              return access_.keys().AddMaterial(k, "ON_DEMAND");
                            }));
        ak::RotateKeyOnDemandResponse out;
        out.key_id = k->arn;
        return out;
      });
}

namespace {

// A material of the key as ListKeyRotations shows it; imported material
// also shows its import and expiration.
ak::RotationsListEntry RotationEntry(const KeyRecord& k, const core::kms::MaterialVersion& m, std::string_view state) {
  ak::RotationsListEntry e;
  e.key_id = k.arn;
  e.key_material_id = m.material_id;
  if (!m.rotation_type.empty()) {
    e.rotation_date = m.created;
    e.rotation_type = EnumOf<ak::RotationType>(m.rotation_type);
  }
  if (k.external()) {
    e.key_material_description = m.description;
    e.import_state = EnumOf<ak::ImportState>(m.imported() ? "IMPORTED" : "PENDING_IMPORT");
    e.key_material_state = EnumOf<ak::KeyMaterialState>(state);
    if (m.imported() && m.expiration_model) e.expiration_model = EnumOf<ak::ExpirationModelType>(*m.expiration_model);
    e.valid_to = m.valid_to;
  }
  return e;
}

}  // namespace

Result<ak::ListKeyRotationsResponse> RotationOps::ListKeyRotations(const ak::ListKeyRotationsRequest& in, KmsCall& c) {
  // ALL_KEY_MATERIAL adds the first material and imported material pending rotation.
  bool all = in.include_key_material && *in.include_key_material == ak::IncludeKeyMaterial::kAllKeyMaterial;
  return access_.WithKey(c, spec::kListKeyRotations, in.key_id, {},
                         [&](const KeyRecord& k) -> Result<ak::ListKeyRotationsResponse> {
                           std::vector<ak::RotationsListEntry> rotations;
                           for (size_t i = 0; i < k.materials.size(); ++i) {
                             const auto& m = k.materials[i];
                             if (m.rotation_type.empty() && !all) continue;  // the original material
                             rotations.push_back(
                                 RotationEntry(k, m, i + 1 == k.materials.size() ? "CURRENT" : "NON_CURRENT"));
                           }
                           if (all && k.pending_material)
                             rotations.push_back(RotationEntry(k, *k.pending_material, "PENDING_ROTATION"));
                           CK_ASSIGN_OR_RETURN(auto page, PageOf(std::move(rotations), in.marker, in.limit, 100));
                           ak::ListKeyRotationsResponse out;
                           FillPage(out, &ak::ListKeyRotationsResponse::rotations, std::move(page));
                           return out;
                         });
}

}  // namespace ck::services::kms

