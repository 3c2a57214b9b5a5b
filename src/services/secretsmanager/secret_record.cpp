#include "services/secretsmanager/secret_record.h"

#include <algorithm>

#include "base/codec.h"
#include "crypto/hash.h"
#include "storage/key_codec.h"

namespace ck::services::sm {

Json Secret::ToJson() const {
  Json vs = Json::object();
  for (const auto& [id, v] : versions)
    vs[id] = {{"stages", v.stages}, {"created", v.created}, {"seq", v.seq}, {"binary", v.binary},
              {"blob", Base64Encode(v.data_key_blob)}, {"sealed", Base64Encode(v.sealed)}, {"key_arn", v.key_arn}};
  return {{"name", name}, {"arn", arn}, {"account", account}, {"region", region}, {"description", description},
          {"kms_key_id", kms_key_id}, {"created", created}, {"last_changed", last_changed},
          {"last_accessed", last_accessed}, {"deleted", deleted}, {"deletion_date", deletion_date},
          {"policy", policy}, {"tags", tags}, {"versions", vs}, {"next_seq", next_seq}};
}

Secret Secret::FromJson(const Json& j) {
  Secret s;
  s.name = j.value("name", "");
  s.arn = j.value("arn", "");
  s.account = j.value("account", "");
  s.region = j.value("region", "");
  s.description = j.value("description", "");
  s.kms_key_id = j.value("kms_key_id", "");
  s.created = j.value("created", 0.0);
  s.last_changed = j.value("last_changed", 0.0);
  s.last_accessed = j.value("last_accessed", 0.0);
  s.deleted = j.value("deleted", 0.0);
  s.deletion_date = j.value("deletion_date", 0.0);
  s.policy = j.value("policy", "");
  s.tags = j.value("tags", Json::array());
  s.next_seq = j.value("next_seq", uint64_t{1});
  const Json versions = j.value("versions", Json::object());
  for (const auto& [id, v] : versions.items()) {
    SecretVersion sv;
    sv.id = id;
    sv.stages = v.value("stages", std::vector<std::string>{});
    sv.created = v.value("created", 0.0);
    sv.seq = v.value("seq", uint64_t{0});
    sv.binary = v.value("binary", false);
    sv.data_key_blob = Base64Decode(v.value("blob", "")).value_or("");
    sv.sealed = Base64Decode(v.value("sealed", "")).value_or("");
    sv.key_arn = v.value("key_arn", "");
    s.versions[id] = std::move(sv);
  }
  return s;
}

SecretVersion* Secret::WithStage(const std::string& stage) {
  for (auto& [id, v] : versions)
    if (std::find(v.stages.begin(), v.stages.end(), stage) != v.stages.end()) return &v;
  return nullptr;
}

void Secret::MoveStage(const std::string& stage, const std::string& from, const std::string& to) {
  if (auto it = versions.find(from); it != versions.end()) {
    auto& st = it->second.stages;
    st.erase(std::remove(st.begin(), st.end(), stage), st.end());
  }
  if (to.empty()) return;
  // A stage labels one version at a time.
  for (auto& [id, v] : versions) v.stages.erase(std::remove(v.stages.begin(), v.stages.end(), stage), v.stages.end());
  auto& st = versions[to].stages;
  if (std::find(st.begin(), st.end(), stage) == st.end()) st.push_back(stage);
}

void Secret::AddVersion(SecretVersion v, const std::vector<std::string>& stages) {
  std::string id = v.id;
  v.seq = next_seq++;
  v.stages.clear();
  versions[id] = std::move(v);
  for (const auto& stage : stages) {
    if (stage == "AWSCURRENT") {
      SecretVersion* cur = WithStage("AWSCURRENT");
      if (cur && cur->id != id) {
        std::string old = cur->id;
        MoveStage("AWSPREVIOUS", "", old);
        MoveStage("AWSCURRENT", old, "");
      }
    }
    MoveStage(stage, "", id);
  }
  // Prune unlabeled versions beyond the limit, oldest first.
  while (versions.size() > kMaxVersions) {
    auto victim = versions.end();
    for (auto it = versions.begin(); it != versions.end(); ++it)
      if (it->second.stages.empty() && (victim == versions.end() || it->second.seq < victim->second.seq)) victim = it;
    if (victim == versions.end()) break;
    versions.erase(victim);
  }
}

Json Secret::VersionIdsToStages() const {
  Json out = Json::object();
  for (const auto& [id, v] : versions)
    if (!v.stages.empty()) out[id] = v.stages;
  return out;
}

std::string RecordKey(const std::string& account, const std::string& region, const std::string& name) {
  std::string k;
  storage::AppendKeyPart(&k, account);
  storage::AppendKeyPart(&k, region);
  storage::AppendKeyPart(&k, name);
  return k;
}

std::string NewSecretArn(const std::string& region, const std::string& account, const std::string& name) {
  static const char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string rnd = crypto::RandomBytes(6), suffix;
  for (unsigned char c : rnd) suffix.push_back(kAlphabet[c % 62]);
  return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + suffix;
}

}  // namespace ck::services::sm
