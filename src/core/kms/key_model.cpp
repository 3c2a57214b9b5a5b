#include "core/kms/key_model.h"

#include "base/codec.h"
#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::core::kms {

using nlohmann::json;

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

KeyState StateFromName(const std::string& s) {
  if (s == "Disabled") return KeyState::kDisabled;
  if (s == "PendingDeletion") return KeyState::kPendingDeletion;
  if (s == "PendingImport") return KeyState::kPendingImport;
  return KeyState::kEnabled;
}

double Epoch(TimePoint t) { return ToEpochSeconds(t); }

std::string MaterialAad(const std::string& arn, uint32_t version) {
  return "crosskey-kms-material-v1\n" + arn + "\n" + std::to_string(version);
}

json OptMap(const std::optional<std::map<std::string, std::string>>& m) { return m ? json(*m) : json(nullptr); }

std::optional<std::map<std::string, std::string>> MapOpt(const json& j) {
  if (j.is_null()) return std::nullopt;
  return j.get<std::map<std::string, std::string>>();
}

}  // namespace

const MaterialVersion* KeyRecord::Material(uint32_t version) const {
  for (const auto& m : materials)
    if (m.version == version) return &m;
  return nullptr;
}

std::string KeyArn(const std::string& region, const std::string& account, const std::string& id) {
  return "arn:aws:kms:" + region + ":" + account + ":key/" + id;
}

std::string NewKeyId() {
  std::string b = crypto::RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string h = HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string NewKeyMaterialId() { return HexEncode(crypto::RandomBytes(32)); }

std::string WrapMaterial(std::string_view master_key, const std::string& arn, uint32_t version,
                         std::string_view material) {
  std::string out;
  crypto::AesGcmSeal(master_key, crypto::RandomBytes(crypto::kAesGcmIvSize), MaterialAad(arn, version), material, &out);
  return out;
}

Result<std::string> UnwrapMaterial(std::string_view master_key, const std::string& arn, uint32_t version,
                                   std::string_view wrapped) {
  auto plain = crypto::AesGcmOpen(master_key, MaterialAad(arn, version), wrapped);
  if (!plain)
    return DataLoss("key material of " + arn + " does not unwrap: wrong master key (CROSSKEY_MASTER_KEY / master.key)?");
  return std::move(*plain);
}

json KeyToStorage(const KeyRecord& k) {
  json materials = json::array();
  for (const auto& m : k.materials)
    materials.push_back({{"version", m.version},
                         {"id", m.material_id},
                         {"created", Epoch(m.created)},
                         {"rotation_type", m.rotation_type},
                         {"wrapped", Base64Encode(m.wrapped)}});
  json grants = json::array();
  for (const auto& g : k.grants)
    grants.push_back({{"id", g.grant_id},
                      {"name", g.name},
                      {"grantee", g.grantee},
                      {"retiring", g.retiring},
                      {"issuing_account", g.issuing_account},
                      {"token", g.token},
                      {"operations", g.operations},
                      {"equals", OptMap(g.constraints.context_equals)},
                      {"subset", OptMap(g.constraints.context_subset)},
                      {"created", Epoch(g.created)}});
  json tags = json::array();
  for (const auto& [key, value] : k.tags) tags.push_back({key, value});
  return {{"account", k.account},
          {"region", k.region},
          {"id", k.id},
          {"description", k.description},
          {"state", KeyStateName(k.state)},
          {"spec", k.spec},
          {"usage", k.usage},
          {"origin", k.origin},
          {"manager", k.manager},
          {"created", Epoch(k.created)},
          {"deletion_date", k.deletion_date ? json(Epoch(*k.deletion_date)) : json(nullptr)},
          {"pending_window_days", k.pending_window_days},
          {"policy", k.policy},
          {"tags", tags},
          {"rotation_enabled", k.rotation_enabled},
          {"rotation_period_days", k.rotation_period_days},
          {"next_rotation", k.next_rotation ? json(Epoch(*k.next_rotation)) : json(nullptr)},
          {"on_demand_started",
           k.on_demand_rotation_started ? json(Epoch(*k.on_demand_rotation_started)) : json(nullptr)},
          {"materials", materials},
          {"grants", grants}};
}

Result<KeyRecord> KeyFromStorage(const json& j) {
  try {
    KeyRecord k;
    k.account = j.at("account");
    k.region = j.at("region");
    k.id = j.at("id");
    k.arn = KeyArn(k.region, k.account, k.id);
    k.description = j.value("description", "");
    k.state = StateFromName(j.value("state", "Enabled"));
    k.spec = j.value("spec", "SYMMETRIC_DEFAULT");
    k.usage = j.value("usage", "ENCRYPT_DECRYPT");
    k.origin = j.value("origin", "AWS_KMS");
    k.manager = j.value("manager", "CUSTOMER");
    k.created = FromEpochSeconds(j.value("created", 0.0));
    if (j.contains("deletion_date") && !j["deletion_date"].is_null())
      k.deletion_date = FromEpochSeconds(j["deletion_date"].get<double>());
    k.pending_window_days = j.value("pending_window_days", 0);
    k.policy = j.value("policy", "");
    for (const auto& t : j.value("tags", json::array())) k.tags.emplace_back(t[0], t[1]);
    k.rotation_enabled = j.value("rotation_enabled", false);
    k.rotation_period_days = j.value("rotation_period_days", 365);
    if (j.contains("next_rotation") && !j["next_rotation"].is_null())
      k.next_rotation = FromEpochSeconds(j["next_rotation"].get<double>());
    if (j.contains("on_demand_started") && !j["on_demand_started"].is_null())
      k.on_demand_rotation_started = FromEpochSeconds(j["on_demand_started"].get<double>());
    for (const auto& m : j.value("materials", json::array())) {
      MaterialVersion v;
      v.version = m.at("version");
      v.material_id = m.value("id", "");
      v.created = FromEpochSeconds(m.value("created", 0.0));
      v.rotation_type = m.value("rotation_type", "");
      auto w = Base64Decode(m.value("wrapped", ""));
      if (!w) return DataLoss("corrupt wrapped material for " + k.arn);
      v.wrapped = std::move(*w);
      k.materials.push_back(std::move(v));
    }
    for (const auto& g : j.value("grants", json::array())) {
      Grant gr;
      gr.grant_id = g.at("id");
      gr.name = g.value("name", "");
      gr.grantee = g.value("grantee", "");
      gr.retiring = g.value("retiring", "");
      gr.issuing_account = g.value("issuing_account", "");
      gr.token = g.value("token", "");
      gr.operations = g.value("operations", std::vector<std::string>{});
      gr.constraints.context_equals = MapOpt(g.value("equals", json(nullptr)));
      gr.constraints.context_subset = MapOpt(g.value("subset", json(nullptr)));
      gr.created = FromEpochSeconds(g.value("created", 0.0));
      k.grants.push_back(std::move(gr));
    }
    return k;
  } catch (const std::exception& e) {
    return DataLoss(std::string("corrupt KMS key record: ") + e.what());
  }
}

json AliasToStorage(const AliasRecord& a) {
  return {{"account", a.account}, {"region", a.region},         {"name", a.name},
          {"target", a.target_key_id}, {"created", Epoch(a.created)}, {"updated", Epoch(a.updated)}};
}

AliasRecord AliasFromStorage(const json& j) {
  AliasRecord a;
  a.account = j.value("account", "");
  a.region = j.value("region", "");
  a.name = j.value("name", "");
  a.target_key_id = j.value("target", "");
  a.created = FromEpochSeconds(j.value("created", 0.0));
  a.updated = FromEpochSeconds(j.value("updated", 0.0));
  return a;
}

json KeyMetadataJson(const KeyRecord& k) {
  json m = {{"AWSAccountId", k.account},
            {"KeyId", k.id},
            {"Arn", k.arn},
            {"CreationDate", Epoch(k.created)},
            {"Enabled", k.state == KeyState::kEnabled},
            {"Description", k.description},
            {"KeyUsage", k.usage},
            {"KeyState", KeyStateName(k.state)},
            {"Origin", k.origin},
            {"KeyManager", k.manager},
            {"CustomerMasterKeySpec", k.spec},
            {"KeySpec", k.spec},
            {"MultiRegion", false}};
  if (k.deletion_date) m["DeletionDate"] = Epoch(*k.deletion_date);
  if (k.state == KeyState::kPendingDeletion) m["PendingDeletionWindowInDays"] = k.pending_window_days;
  if (k.origin == "EXTERNAL") m["ExpirationModel"] = "KEY_MATERIAL_DOES_NOT_EXPIRE";
  auto enc = EncryptionAlgorithmsFor(k.spec, k.usage);
  if (!enc.empty()) m["EncryptionAlgorithms"] = enc;
  auto sig = SigningAlgorithmsFor(k.spec, k.usage);
  if (!sig.empty()) m["SigningAlgorithms"] = sig;
  auto mac = MacAlgorithmsFor(k.spec);
  if (!mac.empty()) m["MacAlgorithms"] = mac;
  if (!k.materials.empty() && k.symmetric()) m["CurrentKeyMaterialId"] = k.Current().material_id;
  return m;
}

json GrantJson(const KeyRecord& k, const Grant& g) {
  json j = {{"KeyId", k.arn},
            {"GrantId", g.grant_id},
            {"CreationDate", Epoch(g.created)},
            {"GranteePrincipal", g.grantee},
            {"IssuingAccount", g.issuing_account},
            {"Operations", g.operations}};
  if (!g.name.empty()) j["Name"] = g.name;
  if (!g.retiring.empty()) j["RetiringPrincipal"] = g.retiring;
  json c = json::object();
  if (g.constraints.context_equals) c["EncryptionContextEquals"] = *g.constraints.context_equals;
  if (g.constraints.context_subset) c["EncryptionContextSubset"] = *g.constraints.context_subset;
  if (!c.empty()) j["Constraints"] = c;
  return j;
}

}  // namespace ck::core::kms
