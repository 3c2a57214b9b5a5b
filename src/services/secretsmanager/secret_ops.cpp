// Secrets Manager listing, stages, tags, resource policies, random passwords
// and BatchGetSecretValue.
#include <algorithm>

#include "base/codec.h"
#include "core/iam/policy_document.h"
#include "crypto/hash.h"
#include "services/common/paging.h"
#include "services/secretsmanager/errors.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "storage/key_codec.h"

namespace ck::services::sm {

namespace ops = smapi::ops;

namespace {

// ListSecrets filter semantics: prefix match; a leading "!" negates.
bool MatchesFilter(const Secret& s, const smapi::Filter& filter) {
  using Key = smapi::FilterNameStringType;
  const Key key = filter.key ? filter.key->value() : Key::kUnrecognized;
  const bool all = key == Key::kAll;
  for (std::string v : filter.values.value_or(std::vector<std::string>{})) {
    bool negate = StartsWith(v, "!");
    if (negate) v = v.substr(1);
    auto pre = [&](const std::string& x) { return StartsWith(ToLower(x), ToLower(v)); };
    bool hit = false;
    if (key == Key::kName || all) hit = hit || pre(s.name);
    if (key == Key::kDescription || all) hit = hit || pre(s.description);
    for (const auto& t : s.tags) {
      if (key == Key::kTagKey || all) hit = hit || StartsWith(t.key.value_or(""), v);
      if (key == Key::kTagValue || all) hit = hit || StartsWith(t.value.value_or(""), v);
    }
    if (key == Key::kPrimaryRegion) hit = hit || s.region == v;
    if (negate ? !hit : hit) return true;
  }
  return false;
}

// The character classes a password draws from, each filtered by the
// excluded characters; empty classes dropped.
std::vector<std::string> PasswordClasses(const smapi::GetRandomPasswordRequest& in) {
  std::string exclude = in.exclude_characters.value_or("");
  auto filtered = [&](std::string chars) {
    std::erase_if(chars, [&](char c) { return exclude.find(c) != std::string::npos; });
    return chars;
  };
  std::vector<std::string> classes;
  if (!in.exclude_lowercase.value_or(false)) classes.push_back(filtered("abcdefghijklmnopqrstuvwxyz"));
  if (!in.exclude_uppercase.value_or(false)) classes.push_back(filtered("ABCDEFGHIJKLMNOPQRSTUVWXYZ"));
  if (!in.exclude_numbers.value_or(false)) classes.push_back(filtered("0123456789"));
  if (!in.exclude_punctuation.value_or(false)) classes.push_back(filtered("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~"));
  if (in.include_space.value_or(false)) classes.push_back(filtered(" "));
  std::erase_if(classes, [](const std::string& c) { return c.empty(); });
  return classes;
}

Result<std::string> RandomPassword(const smapi::GetRandomPasswordRequest& in) {
  int64_t length = in.password_length.value_or(32);
  bool each = in.require_each_included_type.value_or(true);
  std::vector<std::string> classes = PasswordClasses(in);
  std::string all;
  for (const auto& c : classes) all += c;
  if (all.empty() || (each && static_cast<int64_t>(classes.size()) > length))
    return errors::InvalidParameter("The password length is too short to include each of the required character types.");
  auto pick = [](const std::string& set) {
    std::string r = crypto::RandomBytes(4);
    uint32_t x = (uint32_t(uint8_t(r[0])) << 24) | (uint32_t(uint8_t(r[1])) << 16) | (uint32_t(uint8_t(r[2])) << 8) |
                 uint8_t(r[3]);
    return set[x % set.size()];
  };
  std::string out;
  if (each)
    for (const auto& c : classes) out.push_back(pick(c));
  while (static_cast<int64_t>(out.size()) < length) out.push_back(pick(all));
  // Shuffle so the required characters are not always first.
  for (size_t i = out.size(); i > 1; --i) {
    std::string r = crypto::RandomBytes(2);
    size_t j = ((uint8_t(r[0]) << 8) | uint8_t(r[1])) % i;
    std::swap(out[i - 1], out[j]);
  }
  return out;
}

smapi::SecretListEntry ListEntryOf(const Secret& s) {
  smapi::SecretListEntry e;
  DescribeInto(s, &e);
  e.secret_versions_to_stages = s.VersionIdsToStages();
  return e;
}

}  // namespace

Result<smapi::ListSecretsResponse> SecretsManagerService::ListSecrets(const smapi::ListSecretsRequest& in,
                                                                      RequestContext& ctx) {
  const std::string& account = ctx.principal.account;
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::ListSecrets::kName, account, "*", ""));
  size_t max = static_cast<size_t>(in.max_results.value_or(100));
  bool include_deleted = in.include_planned_deletion.value_or(false);
  const std::vector<smapi::Filter> filters = in.filters.value_or(std::vector<smapi::Filter>{});
  std::string prefix;
  storage::AppendKeyPart(&prefix, account);
  storage::AppendKeyPart(&prefix, ctx.region);
  storage::ScanOptions opt{.prefix = prefix, .limit = 200,
                           .reverse = in.sort_order && *in.sort_order == smapi::SortOrderType::kDesc};
  if (in.next_token && !in.next_token->empty()) {
    auto decoded = Base64Decode(*in.next_token);
    if (!decoded) return errors::InvalidParameter("Invalid NextToken.");
    opt.start_after = RecordKey(account, ctx.region, *decoded);
  }
  smapi::ListSecretsResponse out;
  auto& list = out.secret_list.emplace();
  std::string last_name;
  bool more = false;
  TimePoint now = Now();
  while (!more) {
    CK_ASSIGN_OR_RETURN(auto recs, secrets_.store().Scan(kSecrets, opt));
    for (const auto& r : recs) {
      CK_ASSIGN_OR_RETURN(Secret s, secrets_.Decode(r.key, r.value));
      if (s.scheduled_for_deletion() && (!include_deleted || s.deletion_date <= now)) continue;
      if (!std::all_of(filters.begin(), filters.end(), [&](const smapi::Filter& f) { return MatchesFilter(s, f); }))
        continue;
      if (list.size() == max) {
        more = true;
        break;
      }
      list.push_back(ListEntryOf(s));
      last_name = s.name;
    }
    if (recs.size() < opt.limit) break;
    opt.start_after = recs.back().key;
  }
  if (more) out.next_token = Base64Encode(last_name);
  return out;
}

Result<smapi::ListSecretVersionIdsResponse> SecretsManagerService::ListSecretVersionIds(
    const smapi::ListSecretVersionIdsRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::ListSecretVersionIds::kName, true));
  const Secret& s = *loc.secret;
  bool deprecated = in.include_deprecated.value_or(false);
  std::vector<const SecretVersion*> vs;
  for (const auto& [id, v] : s.versions)
    if (deprecated || !v.stages.empty()) vs.push_back(&v);
  std::sort(vs.begin(), vs.end(), [](auto* a, auto* b) { return a->seq > b->seq; });
  auto page = TakePage(std::move(vs), ParseMarker(in.next_token).value_or(0),
                       static_cast<size_t>(in.max_results.value_or(100)));
  smapi::ListSecretVersionIdsResponse out;
  out.arn = s.arn;
  out.name = s.name;
  auto& versions = out.versions.emplace();
  for (const SecretVersion* v : page.items) {
    smapi::SecretVersionsListEntry e;
    e.version_id = v->id;
    e.created_date = v->created;
    // AWS names the managed key "DefaultEncryptionKey" here (AWS recordings).
    e.kms_key_ids = std::vector<std::string>{v->default_key.value_or(false) ? "DefaultEncryptionKey" : v->key_arn};
    if (!v->stages.empty()) e.version_stages = v->stages;
    e.last_accessed_date = v->last_accessed;
    versions.push_back(std::move(e));
  }
  out.next_token = page.next_marker;
  return out;
}

Result<smapi::UpdateSecretVersionStageResponse> SecretsManagerService::UpdateSecretVersionStage(
    const smapi::UpdateSecretVersionStageRequest& in, RequestContext& ctx) {
  const std::string& stage = in.version_stage;
  std::string from = in.remove_from_version_id.value_or(""), to = in.move_to_version_id.value_or("");
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(in.secret_id, ctx, ops::UpdateSecretVersionStage::kName, [&](Secret& s) {
    for (const auto& id : {from, to})
      if (!id.empty() && !s.versions.count(id))
        return errors::InvalidParameter("The version " + id + " doesn't exist for the secret " + s.name + ".");
    SecretVersion* holder = s.WithStage(stage);
    if (holder && !to.empty() && holder->id != to && holder->id != from)
      return errors::InvalidParameter("The parameter RemoveFromVersionId doesn't match. Staging label " + stage +
                                      " is currently attached to version " + holder->id +
                                      ", so you must explicitly reference that version in RemoveFromVersionId.");
    if (!from.empty() && (!holder || holder->id != from))
      return errors::InvalidParameter("The parameter RemoveFromVersionId doesn't match. Staging label " + stage +
                                      " isn't attached to version " + from + ".");
    if (stage == "AWSCURRENT" && !to.empty() && holder && holder->id != to) {
      // Moving AWSCURRENT makes the old current AWSPREVIOUS (AWS does this automatically).
      std::string old = holder->id;
      s.MoveStage("AWSCURRENT", old, to);
      s.MoveStage("AWSPREVIOUS", "", old);
    } else {
      s.MoveStage(stage, from, to);
    }
    s.last_changed = Now();
    return Status::Ok();
  }));
  return smapi::UpdateSecretVersionStageResponse{saved.arn, saved.name};
}

Status SecretsManagerService::Retag(RequestContext& ctx, const std::string& secret_id, std::string_view action,
                                    const std::vector<std::string>& drop, const std::vector<smapi::Tag>& add) {
  return Mutate(secret_id, ctx, action,
                [&](Secret& s) {
                  std::erase_if(s.tags, [&](const SecretTag& t) {
                    return std::find(drop.begin(), drop.end(), t.key.value_or("")) != drop.end();
                  });
                  for (const auto& t : add) s.tags.push_back({t.key, t.value});
                  s.tagged = true;
                  if (s.tags.size() > 50) return errors::Validation("Number of tags exceeds the limit of 50.");
                  return Status::Ok();
                })
      .status();
}

Result<api::Empty> SecretsManagerService::TagResource(const smapi::TagResourceRequest& in, RequestContext& ctx) {
  std::vector<std::string> drop;
  for (const auto& t : in.tags) drop.push_back(t.key.value_or(""));
  CK_RETURN_IF_ERROR(Retag(ctx, in.secret_id, ops::TagResource::kName, drop, in.tags));
  return api::Empty{};
}

Result<api::Empty> SecretsManagerService::UntagResource(const smapi::UntagResourceRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Retag(ctx, in.secret_id, ops::UntagResource::kName, in.tag_keys, {}));
  return api::Empty{};
}

Result<smapi::PutResourcePolicyResponse> SecretsManagerService::PutResourcePolicy(
    const smapi::PutResourcePolicyRequest& in, RequestContext& ctx) {
  auto parsed = core::iam::ParsePolicy(in.resource_policy, core::iam::PolicyKind::kResource, {});
  if (!parsed.ok()) return errors::MalformedPolicyDocument(parsed.status().message());
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(in.secret_id, ctx, ops::PutResourcePolicy::kName, [&](Secret& s) {
    s.policy = in.resource_policy;
    return Status::Ok();
  }));
  return smapi::PutResourcePolicyResponse{saved.arn, saved.name};
}

Result<smapi::GetResourcePolicyResponse> SecretsManagerService::GetResourcePolicy(
    const smapi::GetResourcePolicyRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Located loc, LoadAuthorized(in.secret_id, ctx, ops::GetResourcePolicy::kName, true));
  smapi::GetResourcePolicyResponse out;
  out.arn = loc.secret->arn;
  out.name = loc.secret->name;
  if (!loc.secret->policy.empty()) out.resource_policy = loc.secret->policy;
  return out;
}

Result<smapi::DeleteResourcePolicyResponse> SecretsManagerService::DeleteResourcePolicy(
    const smapi::DeleteResourcePolicyRequest& in, RequestContext& ctx) {
  CK_ASSIGN_OR_RETURN(Secret saved, Mutate(in.secret_id, ctx, ops::DeleteResourcePolicy::kName, [](Secret& s) {
    s.policy.clear();
    return Status::Ok();
  }));
  return smapi::DeleteResourcePolicyResponse{saved.arn, saved.name};
}

Result<smapi::ValidateResourcePolicyResponse> SecretsManagerService::ValidateResourcePolicy(
    const smapi::ValidateResourcePolicyRequest& in, RequestContext& ctx) {
  if (in.secret_id) {
    CK_RETURN_IF_ERROR(LoadAuthorized(*in.secret_id, ctx, ops::ValidateResourcePolicy::kName, true).status());
  } else {
    CK_RETURN_IF_ERROR(Authorize(ctx, ops::ValidateResourcePolicy::kName, ctx.principal.account, "*", ""));
  }
  auto parsed = core::iam::ParsePolicy(in.resource_policy, core::iam::PolicyKind::kResource, {});
  smapi::ValidateResourcePolicyResponse out;
  out.policy_validation_passed = parsed.ok();
  auto& problems = out.validation_errors.emplace();
  if (!parsed.ok()) problems.push_back({"POLICY_SYNTAX", parsed.status().message()});
  return out;
}

Result<smapi::GetRandomPasswordResponse> SecretsManagerService::GetRandomPassword(
    const smapi::GetRandomPasswordRequest& in, RequestContext& ctx) {
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::GetRandomPassword::kName, ctx.principal.account, "*", ""));
  CK_ASSIGN_OR_RETURN(std::string password, RandomPassword(in));
  return smapi::GetRandomPasswordResponse{std::move(password)};
}

Result<smapi::BatchGetSecretValueResponse> SecretsManagerService::BatchGetSecretValue(
    const smapi::BatchGetSecretValueRequest& in, RequestContext& ctx) {
  bool by_ids = in.secret_id_list.has_value();
  if (by_ids == in.filters.has_value())
    return errors::InvalidParameter("Either 'SecretIdList' or 'Filters' must be provided, but not both.");
  if (by_ids && in.max_results)
    return errors::InvalidParameter(
        "'Filters' not specified. 'Filters' must also be specified when 'MaxResults' is provided.");
  CK_RETURN_IF_ERROR(Authorize(ctx, ops::BatchGetSecretValue::kName, ctx.principal.account, "*", ""));
  smapi::BatchGetSecretValueResponse out;
  std::vector<std::string> ids;
  if (by_ids) {
    ids = *in.secret_id_list;
  } else {
    smapi::ListSecretsRequest list_in;
    list_in.filters = in.filters;
    list_in.max_results = in.max_results.value_or(20);
    list_in.next_token = in.next_token;
    CK_ASSIGN_OR_RETURN(auto listed, ListSecrets(list_in, ctx));
    for (const auto& e : listed.secret_list.value_or(std::vector<smapi::SecretListEntry>{}))
      ids.push_back(e.arn.value_or(""));
    out.next_token = listed.next_token;
  }
  auto& values = out.secret_values.emplace();
  auto& failures = out.errors.emplace();
  for (const auto& id : ids) {
    smapi::GetSecretValueRequest get;
    get.secret_id = id;
    auto v = GetSecretValue(get, ctx);
    if (v.ok()) {
      values.push_back({v->arn, v->name, v->version_id, v->secret_binary, v->secret_string, v->version_stages,
                        v->created_date});
    } else {
      failures.push_back({id, v.status().aws_code(), v.status().message()});
    }
  }
  return out;
}

}  // namespace ck::services::sm
