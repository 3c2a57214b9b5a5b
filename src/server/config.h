// Config: what `crosskey serve --config FILE` declares, loaded atomically at
// start. Everything is validated before anything is applied; an error names
// the file, the line and the field. Policy documents go through the same
// parser as the IAM and KMS APIs (core/iam/policy_document.h); access key
// ids, users, roles, aliases and buckets must each be declared once.
//
// The config declares a baseline, applied at every start (seed.h says
// exactly what a restart resets and what it keeps of API-made changes).
//
// Format (TOML):
//   region = "us-east-1"
//   [[accounts]]   id = "111111111111", name?, access_key_id?, secret_access_key?
//   [[users]]      account, name, path?, access_key_id?, secret_access_key?,
//                  policies = [{ name, document }]
//   [[roles]]      account, name, path?, trust_policy, max_session_duration?,
//                  policies = [{ name, document }]
//   [[keys]]       account, alias, region?, description?, policy?, key_spec?, key_usage?
//   [[buckets]]    account, name, region?
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace ck::server {

// Where an entry was declared, for messages: "cfg.toml:12: users[0]".
struct Origin {
  std::string file;
  int line = 0;
  std::string entry;  // "users[0]"
  // "cfg.toml:12: users[0].field" (or just the entry when field is empty).
  std::string Where(const std::string& field = "") const;
};

struct InlinePolicy {
  Origin origin;
  std::string name;
  std::string document;
};

struct AccountConfig {
  Origin origin;
  std::string id;
  std::string name;
  // Root credentials, for --strict setups (dev mode accepts the account id itself).
  std::string access_key_id, secret_access_key;
};

struct UserConfig {
  Origin origin;
  std::string account, name, path = "/";
  std::string access_key_id, secret_access_key;
  std::vector<InlinePolicy> policies;
};

struct RoleConfig {
  Origin origin;
  std::string account, name, path = "/";
  std::string trust_policy;
  int max_session_duration = 3600;
  std::vector<InlinePolicy> policies;
};

struct KeyConfig {
  Origin origin;
  std::string account, region, alias, description, policy;
  std::string key_spec = "SYMMETRIC_DEFAULT", key_usage = "ENCRYPT_DECRYPT";
};

struct BucketConfig {
  Origin origin;
  std::string account, name, region;
};

struct Config {
  std::string source;  // file path, for messages
  std::optional<std::string> region;
  std::vector<AccountConfig> accounts;
  std::vector<UserConfig> users;
  std::vector<RoleConfig> roles;
  std::vector<KeyConfig> keys;
  std::vector<BucketConfig> buckets;
};

Result<Config> LoadConfigFile(const std::string& path);
Result<Config> ParseConfig(std::string_view text, const std::string& source_name);

bool IsAccountId(std::string_view s);

}  // namespace ck::server
