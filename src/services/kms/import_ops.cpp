// GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial.
//
// Order of checks (AWS's where recorded): request validation (ExpirationModel
// and ValidTo) → resolve → authorize → key state (not PendingDeletion) →
// origin EXTERNAL → import token → unwrap → the material for the key spec →
// the import type against the key's material.
#include "core/kms/key_import.h"
#include "services/kms/errors.h"
#include "services/kms/kms_ops.h"
#include "services/kms/kms_shapes.h"

namespace ck::services::kms {

namespace ak = api::kms;
namespace spec = core::kms::spec;
using core::kms::KeyRecord;
using core::kms::KeyState;
using core::kms::MaterialVersion;

namespace {

constexpr std::string_view kExpires = "KEY_MATERIAL_EXPIRES";
constexpr std::string_view kDoesNotExpire = "KEY_MATERIAL_DOES_NOT_EXPIRE";
constexpr auto kMaxValidity = std::chrono::hours(24 * 365);

// Recorded: "<ARN> origin is AWS_KMS which is not valid for this operation."
Status RequireExternal(const KeyRecord& k) {
  if (k.external()) return Status::Ok();
  return errors::UnsupportedOperation(k.arn + " origin is " + k.origin + " which is not valid for this operation.");
}

// The ExpirationModel / ValidTo pair of an ImportKeyMaterial request.
Status CheckExpiration(std::string_view model, const std::optional<TimePoint>& valid_to, TimePoint now) {
  if (model == kExpires && !valid_to)
    return errors::Validation("A validTo date must be set if the ExpirationModel is KEY_MATERIAL_EXPIRES");  // recorded
  // INFERRED wordings below (AWS documents the rules, not the texts).
  if (model == kDoesNotExpire && valid_to)
    return errors::Validation("A validTo date must not be set if the ExpirationModel is KEY_MATERIAL_DOES_NOT_EXPIRE");
  if (valid_to && *valid_to <= now) return errors::Validation("The validTo date must be in the future.");
  if (valid_to && *valid_to > now + kMaxValidity)
    return errors::Validation("The validTo date must be no more than 365 days from the current date.");
  return Status::Ok();
}

// The key's material (current, previous or pending rotation) with `id`.
MaterialVersion* FindMaterial(KeyRecord& k, std::string_view id) {
  for (auto& m : k.materials)
    if (m.material_id == id) return &m;
  if (k.pending_material && k.pending_material->material_id == id) return &*k.pending_material;
  return nullptr;
}

// INFERRED wording: material other than the key's own where the key expects its own.
Status NotThisKeysMaterial(const KeyRecord& k) {
  return errors::IncorrectKeyMaterial("The key material is not the key material previously imported into KMS key " +
                                      k.arn + ".");
}

}  // namespace

Result<ak::GetParametersForImportResponse> ImportOps::GetParametersForImport(const ak::GetParametersForImportRequest& in,
                                                                            KmsCall& c) {
  std::string_view algorithm = in.wrapping_algorithm.str();
  std::string_view wrapping_spec = in.wrapping_key_spec.str();
  CK_RETURN_IF_ERROR(core::kms::CheckWrapping(algorithm, wrapping_spec));
  return access_.WithKey(c, spec::kGetParametersForImport, in.key_id, {},
                         [&](const KeyRecord& k) -> Result<ak::GetParametersForImportResponse> {
                           CK_RETURN_IF_ERROR(RequireExternal(k));
                           CK_ASSIGN_OR_RETURN(auto params, core::kms::NewImportParameters(
                                                                algorithm, wrapping_spec,
                                                                c.now + core::kms::kImportParametersLifetime));
                           ak::GetParametersForImportResponse out;
                           out.key_id = k.arn;
                           out.import_token = access_.keys().SealImportToken(k.arn, params.first);
                           out.public_key = std::move(params.second);
                           out.parameters_valid_to = params.first.valid_to;
                           return out;
                         });
}

Result<ak::ImportKeyMaterialResponse> ImportOps::ImportKeyMaterial(const ak::ImportKeyMaterialRequest& in, KmsCall& c) {
  std::string model(in.expiration_model ? in.expiration_model->str() : kExpires);  // AWS's default
  CK_RETURN_IF_ERROR(CheckExpiration(model, in.valid_to, c.now));
  std::optional<ak::ImportType> type;
  if (in.import_type) type = in.import_type->value();
  if (type == ak::ImportType::kNewKeyMaterial && in.key_material_id)
    return errors::Validation("KeyMaterialId cannot be specified when ImportType is NEW_KEY_MATERIAL.");  // INFERRED
  return access_.WithKey(
      c, spec::kImportKeyMaterial, in.key_id, {}, [&](const KeyRecord& key) -> Result<ak::ImportKeyMaterialResponse> {
        CK_RETURN_IF_ERROR(RequireExternal(key));
        // AWS documents that it rejects these for asymmetric and HMAC keys, which take one material only.
        if (!key.symmetric() && (in.import_type || in.key_material_id || in.key_material_description))
          return errors::Validation(
              "ImportType, KeyMaterialId and KeyMaterialDescription are valid only for symmetric encryption KMS "
              "keys.");  // INFERRED wording
        CK_ASSIGN_OR_RETURN(auto params, access_.keys().OpenImportToken(key.arn, in.import_token.view()));
        CK_ASSIGN_OR_RETURN(auto unwrapped, core::kms::UnwrapKeyMaterial(params, in.encrypted_key_material.view()));
        CK_ASSIGN_OR_RETURN(auto material, core::kms::CheckImportedMaterial(key.spec, unwrapped));
        std::string id = core::kms::ImportedMaterialId(key.id, material);
        if (in.key_material_id && *in.key_material_id != id) return NotThisKeysMaterial(key);

        CK_ASSIGN_OR_RETURN(auto updated, access_.Update(c, spec::kImportKeyMaterial, key, [&](KeyRecord& k) -> Status {
          // Without ImportType: new material into a key that has none, the key's own otherwise.
          bool fresh = k.materials.empty();
          bool is_new = type ? *type == ak::ImportType::kNewKeyMaterial : fresh;
          MaterialVersion* target = nullptr;
          if (is_new && fresh) {
            k.materials.emplace_back();
            target = &k.materials.back();
            target->version = 1;
          } else if (is_new) {
            if (k.pending_material)  // recorded
              return errors::InvalidState("New key material (id: " + id + ") cannot be imported into KMS key " + k.arn +
                                          ", because another key material (id: " + k.pending_material->material_id +
                                          ") is pending rotation.");
            if (FindMaterial(k, id))  // INFERRED wording
              return errors::IncorrectKeyMaterial("The key material (id: " + id +
                                                  ") is already associated with KMS key " + k.arn + ".");
            k.pending_material.emplace();
            target = &*k.pending_material;
            target->version = k.materials.back().version + 1;
          } else {
            target = FindMaterial(k, id);
            if (!target) return NotThisKeysMaterial(k);
          }
          if (target->material_id.empty()) {
            target->material_id = id;
            target->created = c.now;
          }
          access_.keys().SetMaterial(k, *target, material);
          target->expiration_model = model;
          target->valid_to = model == kExpires ? in.valid_to : std::nullopt;
          if (in.key_material_description) target->description = *in.key_material_description;
          if (k.state == KeyState::kPendingImport && k.AllMaterialImported()) k.state = KeyState::kEnabled;
          return Status::Ok();
        }));
        ak::ImportKeyMaterialResponse out;
        out.key_id = updated->arn;
        if (updated->symmetric()) out.key_material_id = id;
        return out;
      });
}

Result<ak::DeleteImportedKeyMaterialResponse> ImportOps::DeleteImportedKeyMaterial(
    const ak::DeleteImportedKeyMaterialRequest& in, KmsCall& c) {
  return access_.WithKey(
      c, spec::kDeleteImportedKeyMaterial, in.key_id, {},
      [&](const KeyRecord& key) -> Result<ak::DeleteImportedKeyMaterialResponse> {
        CK_RETURN_IF_ERROR(RequireExternal(key));
        std::string deleted;
        CK_ASSIGN_OR_RETURN(auto updated, access_.Update(c, spec::kDeleteImportedKeyMaterial, key, [&](KeyRecord& k) -> Status {
          MaterialVersion* target = nullptr;
          if (in.key_material_id) {
            target = FindMaterial(k, *in.key_material_id);
            if (!target)  // INFERRED wording
              return errors::NotFound("Key material " + *in.key_material_id + " is not associated with KMS key " +
                                      k.arn + ".");
          } else {
            // INFERRED: a key that never had material has nothing to delete.
            if (k.materials.empty()) return errors::InvalidState(k.arn + " is pending import.");
            target = &k.materials.back();
          }
          deleted = target->material_id;
          bool pending_rotation = k.pending_material && target == &*k.pending_material;
          target->wrapped = Bytes();
          target->plain.clear();
          target->expiration_model.reset();
          target->valid_to.reset();
          // AWS: a key pending deletion stays so, and so does a key whose
          // material pending rotation goes; any other becomes PendingImport.
          if (!pending_rotation && k.state != KeyState::kPendingDeletion) k.state = KeyState::kPendingImport;
          return Status::Ok();
        }));
        ak::DeleteImportedKeyMaterialResponse out;
        out.key_id = updated->arn;
        if (updated->symmetric()) out.key_material_id = deleted;
        return out;
      });
}

}  // namespace ck::services::kms
