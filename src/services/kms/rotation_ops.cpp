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
        CK_ASSIGN_OR_RETURN(auto k, access_.Update(c, spec::kRotateKeyOnDemand, key, [&](KeyRecord& k) {
                              int on_demand = 0;
                              for (const auto& m : k.materials) on_demand += m.rotation_type == "ON_DEMAND";
                              if (on_demand >= kMaxOnDemandRotations)
                                return errors::LimitExceeded("You have exceeded the number of on-demand rotations for " +
                                                             k.arn + ".");
                              // AWS rotates asynchronously; here the new material is current when the call returns.
                              return access_.keys().AddMaterial(k, "ON_DEMAND");
                            }));
        ak::RotateKeyOnDemandResponse out;
        out.key_id = k->arn;
        return out;
      });
}

Result<ak::ListKeyRotationsResponse> RotationOps::ListKeyRotations(const ak::ListKeyRotationsRequest& in, KmsCall& c) {
  return access_.WithKey(c, spec::kListKeyRotations, in.key_id, {},
                         [&](const KeyRecord& k) -> Result<ak::ListKeyRotationsResponse> {
                           std::vector<ak::RotationsListEntry> rotations;
                           for (const auto& m : k.materials) {
                             if (m.version == 1) continue;  // the original material is not a rotation
                             ak::RotationsListEntry e;
                             e.key_id = k.arn;
                             e.key_material_id = m.material_id;
                             e.rotation_date = m.created;
                             e.rotation_type = EnumOf<ak::RotationType>(m.rotation_type);
                             rotations.push_back(std::move(e));
                           }
                           CK_ASSIGN_OR_RETURN(auto page, PageOf(std::move(rotations), in.marker, in.limit, 100));
                           ak::ListKeyRotationsResponse out;
                           FillPage(out, &ak::ListKeyRotationsResponse::rotations, std::move(page));
                           return out;
                         });
}

}  // namespace ck::services::kms

