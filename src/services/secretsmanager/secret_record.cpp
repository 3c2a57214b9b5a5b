#include "services/secretsmanager/secret_record.h"

#include <algorithm>
#include <utility>

#include "core/ids.h"
#include "storage/key_codec.h"

namespace ck::services::sm {

namespace {

template <class V, class S>
void TagFields(V& v, S& s) {
  v("Key", s.key, false);
  v("Value", s.value, false);
}

template <class V, class S>
void VersionFields(V& v, S& s) {
  v("stages", s.stages, false);
  v("created", s.created, false);
  v("seq", s.seq, false);
  v("binary", s.binary, false);
  v("blob", s.data_key_blob, true);
  v("sealed", s.sealed, true);
  v("key_arn", s.key_arn, false);
  v("default_key", s.default_key, false);
  v("last_accessed", s.last_accessed, false);
}

template <class V, class S>
void SecretFields(V& v, S& s) {
  v("name", s.name, true);
  v("arn", s.arn, true);
  v("account", s.account, true);
  v("region", s.region, true);
  v("description", s.description, false);
  v("kms_key_id", s.kms_key_id, false);
  v("created", s.created, false);
  v("last_changed", s.last_changed, false);
  v("last_accessed", s.last_accessed, false);
  v("deleted", s.deleted, false);
  v("deletion_date", s.deletion_date, false);
  v("policy", s.policy, false);
  v("tags", s.tags, false);
  v("tagged", s.tagged, false);
  v("versions", s.versions, false);
  v("next_seq", s.next_seq, false);
}

}  // namespace

CK_DEFINE_FIELDS(SecretTag, TagFields)
CK_DEFINE_FIELDS(SecretVersion, VersionFields)

// By hand: a version's id is its key in "versions".
Status FromDocument(const Document& d, Secret* out, const DecodeOptions& o) {
  fields::StructDecoder v(d, o);
  if (v.ok()) SecretFields(v, *out);
  CK_RETURN_IF_ERROR(v.Finish());
  for (auto& [id, version] : out->versions) version.id = id;
  return Status::Ok();
}

Document ToDocument(const Secret& in) {
  fields::StructEncoder v;
  SecretFields(v, in);
  return std::move(v).Take();
}

Document Secret::ToJson() const { return ToDocument(*this); }

Secret Secret::FromJson(const Document& j) {
  Secret s;
  (void)FromDocument(j, &s, DecodeOptions{.strict = false});
  return s;
}

const SecretVersion* Secret::WithStage(const std::string& stage) const {
  for (const auto& [id, v] : versions)
    if (std::find(v.stages.begin(), v.stages.end(), stage) != v.stages.end()) return &v;
  return nullptr;
}

SecretVersion* Secret::WithStage(const std::string& stage) {
  return const_cast<SecretVersion*>(std::as_const(*this).WithStage(stage));
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
        // A version that was both current and pending (a finished rotation)
        // keeps only AWSPREVIOUS (AWS recording).
        MoveStage("AWSPENDING", old, "");
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

std::map<std::string, std::vector<std::string>> Secret::VersionIdsToStages() const {
  std::map<std::string, std::vector<std::string>> out;
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
  return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + name + "-" + ids::Alphanumeric(6);
}

}  // namespace ck::services::sm
