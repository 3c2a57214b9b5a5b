#include "core/kms/key_model.h"

#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::core::kms {

const char* KeyStateName(KeyState s) {
  switch (s) {
    case KeyState::kEnabled: return "Enabled";
    case KeyState::kDisabled: return "Disabled";
    case KeyState::kPendingDeletion: return "PendingDeletion";
    case KeyState::kPendingImport: return "PendingImport";
  }
  return "Unavailable";
}

namespace {

std::string MaterialAad(const std::string& arn, uint64_t version) {
  return "crosskey-kms-material-v1\n" + arn + "\n" + std::to_string(version);
}

template <class V, class S>
void MaterialFields(V& v, S& s) {
  v("version", s.version, true);
  v("id", s.material_id, false);
  v("created", s.created, false);
  v("rotation_type", s.rotation_type, false);
  v("wrapped", s.wrapped, false);
  v("expiration_model", s.expiration_model, false);
  v("valid_to", s.valid_to, false);
  v("description", s.description, false);
}

template <class V, class S>
void GrantFields(V& v, S& s) {
  v("id", s.grant_id, true);
  v("name", s.name, false);
  v("grantee", s.grantee, false);
  v("retiring", s.retiring, false);
  v("issuing_account", s.issuing_account, false);
  v("token", s.token, false);
  v("operations", s.operations, false);
  v("equals", s.constraints.context_equals, false);
  v("subset", s.constraints.context_subset, false);
  v("created", s.created, false);
}

template <class V, class S>
void KeyFields(V& v, S& s) {
  v("account", s.account, true);
  v("region", s.region, true);
  v("id", s.id, true);
  v("description", s.description, false);
  v("state", s.state, false);
  v("spec", s.spec, false);
  v("usage", s.usage, false);
  v("origin", s.origin, false);
  v("manager", s.manager, false);
  v("created", s.created, false);
  v("deletion_date", s.deletion_date, false);
  v("pending_window_days", s.pending_window_days, false);
  v("policy", s.policy, false);
  v("tags", s.tags, false);
  v("rotation_enabled", s.rotation_enabled, false);
  v("rotation_period_days", s.rotation_period_days, false);
  v("next_rotation", s.next_rotation, false);
  v("on_demand_started", s.on_demand_rotation_started, false);
  v("materials", s.materials, false);
  v("pending_material", s.pending_material, false);
  v("grants", s.grants, false);
}

template <class V, class S>
void AliasFields(V& v, S& s) {
  v("account", s.account, false);
  v("region", s.region, false);
  v("name", s.name, false);
  v("target", s.target_key_id, false);
  v("created", s.created, false);
  v("updated", s.updated, false);
}

}  // namespace

CK_DEFINE_FIELDS(MaterialVersion, MaterialFields)
CK_DEFINE_FIELDS(Grant, GrantFields)
CK_DEFINE_FIELDS(AliasRecord, AliasFields)

// A key's arn is not stored: it follows from account, region and id.
Status FromDocument(const Document& d, KeyRecord* out, const DecodeOptions& o) {
  fields::StructDecoder v(d, o);
  if (v.ok()) KeyFields(v, *out);
  CK_RETURN_IF_ERROR(v.Finish());
  out->arn = KeyArn(out->region, out->account, out->id);
  return Status::Ok();
}

Document ToDocument(const KeyRecord& in) {
  fields::StructEncoder v;
  KeyFields(v, in);
  return std::move(v).Take();
}

Status FromDocument(const Document& d, KeyTag* out, const DecodeOptions&) {
  if (!d.is_array() || d.size() != 2 || !d[0].is_string() || !d[1].is_string())
    return fields::WrongType("tags", "[key, value] pair");
  out->key = d[0].get<std::string>();
  out->value = d[1].get<std::string>();
  return Status::Ok();
}

Document ToDocument(const KeyTag& in) { return Document::array({in.key, in.value}); }

Status FromDocument(const Document& d, KeyState* out, const DecodeOptions&) {
  if (d.is_string()) {
    for (KeyState s : {KeyState::kEnabled, KeyState::kDisabled, KeyState::kPendingDeletion, KeyState::kPendingImport}) {
      if (d.get_ref<const std::string&>() == KeyStateName(s)) {
        *out = s;
        return Status::Ok();
      }
    }
  }
  return fields::WrongType("state", "key state");
}

Document ToDocument(KeyState state) { return Document(KeyStateName(state)); }

const MaterialVersion* KeyRecord::Material(uint32_t version) const {
  for (const auto& m : materials)
    if (m.version == version) return &m;
  return nullptr;
}

bool KeyRecord::AllMaterialImported() const {
  if (materials.empty()) return false;
  for (const auto& m : materials)
    if (!m.imported()) return false;
  return true;
}

std::optional<TimePoint> KeyRecord::NextExpiry() const {
  std::optional<TimePoint> out;
  auto consider = [&](const MaterialVersion& m) {
    if (m.imported() && m.valid_to && (!out || *m.valid_to < *out)) out = m.valid_to;
  };
  for (const auto& m : materials) consider(m);
  if (pending_material) consider(*pending_material);
  return out;
}

std::string KeyArn(const std::string& region, const std::string& account, const std::string& id) {
  return "arn:aws:kms:" + region + ":" + account + ":key/" + id;
}

std::string WrapMaterial(std::string_view master_key, const std::string& arn, uint64_t version,
                         std::string_view material) {
  std::string out;
  crypto::AesGcmSeal(master_key, crypto::RandomBytes(crypto::kAesGcmIvSize), MaterialAad(arn, version), material, &out);
  return out;
}

Result<std::string> UnwrapMaterial(std::string_view master_key, const std::string& arn, uint64_t version,
                                   std::string_view wrapped) {
  auto plain = crypto::AesGcmOpen(master_key, MaterialAad(arn, version), wrapped);
  if (!plain)
    return DataLoss("key material of " + arn + " does not unwrap: wrong master key (CROSSKEY_MASTER_KEY / master.key)?");
  return std::move(*plain);
}

}  // namespace ck::core::kms
