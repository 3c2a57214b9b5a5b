#include "client/credentials.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "base/codec.h"

namespace ck::client {

CredentialEnvironment CredentialEnvironment::System() {
  CredentialEnvironment e;
  e.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  };
  e.run = [](const std::string& command) -> Result<std::string> {
    FILE* p = popen(command.c_str(), "r");
    if (!p) return InvalidArgument("credential_process: cannot run " + command);
    std::string out;
    char buf[4096];
    for (size_t n; (n = fread(buf, 1, sizeof buf, p)) > 0;) out.append(buf, n);
    int rc = pclose(p);
    if (rc != 0) return InvalidArgument("credential_process exited with status " + std::to_string(rc) + ": " + command);
    return out;
  };
  return e;
}

Result<IniFile> ParseIni(std::string_view text, const std::string& file_name) {
  IniFile out;
  std::string section;
  int line_no = 0;
  std::string last_key;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view raw = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    bool continuation = !raw.empty() && (raw[0] == ' ' || raw[0] == '\t');
    std::string_view line = Trim(raw);
    if (line.empty() || line[0] == '#' || line[0] == ';') continue;
    if (line.front() == '[') {
      if (line.back() != ']') return InvalidArgument(file_name + ":" + std::to_string(line_no) + ": bad section");
      section = std::string(Trim(line.substr(1, line.size() - 2)));
      out[section];
      continue;
    }
    if (continuation && !last_key.empty()) {  // nested values (s3 = …) are skipped
      continue;
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos || section.empty())
      return InvalidArgument(file_name + ":" + std::to_string(line_no) + ": expected key = value in a section");
    last_key = std::string(Trim(line.substr(0, eq)));
    out[section][last_key] = std::string(Trim(line.substr(eq + 1)));
  }
  return out;
}

CredentialChain::CredentialChain(std::string profile, CredentialEnvironment env, AssumeRoleFn assume_role)
    : profile_(std::move(profile)), env_(std::move(env)), assume_role_(std::move(assume_role)) {}

std::string CredentialChain::Env(const std::string& name) { return env_.getenv(name).value_or(""); }

Status CredentialChain::LoadFiles() {
  if (loaded_) return Status::Ok();
  std::string home = Env("HOME");
  auto read = [](const std::string& path, IniFile* out) -> Status {
    std::ifstream f(path);
    if (!f) return Status::Ok();  // absent files are fine
    std::stringstream ss;
    ss << f.rdbuf();
    auto ini = ParseIni(ss.str(), path);
    if (!ini.ok()) return ini.status();
    *out = std::move(*ini);
    return Status::Ok();
  };
  std::string config = Env("AWS_CONFIG_FILE");
  std::string creds = Env("AWS_SHARED_CREDENTIALS_FILE");
  CK_RETURN_IF_ERROR(read(config.empty() ? home + "/.aws/config" : config, &config_));
  CK_RETURN_IF_ERROR(read(creds.empty() ? home + "/.aws/credentials" : creds, &credentials_));
  loaded_ = true;
  return Status::Ok();
}

std::optional<std::string> CredentialChain::Setting(const std::string& profile, const std::string& key) {
  if (auto s = credentials_.find(profile); s != credentials_.end())
    if (auto v = s->second.find(key); v != s->second.end()) return v->second;
  std::string section = profile == "default" ? "default" : "profile " + profile;
  for (const std::string& name : {section, profile}) {
    if (auto s = config_.find(name); s != config_.end())
      if (auto v = s->second.find(key); v != s->second.end()) return v->second;
  }
  return std::nullopt;
}

Result<Credentials> CredentialChain::FromProcess(const std::string& command) {
  CK_ASSIGN_OR_RETURN(std::string out, env_.run(command));
  auto j = nlohmann::json::parse(out, nullptr, false);
  if (!j.is_object()) return InvalidArgument("credential_process did not print a JSON object: " + command);
  Credentials c;
  auto str = [&](const char* member) {
    auto it = j.find(member);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  c.keys = {str("AccessKeyId"), str("SecretAccessKey"), str("SessionToken")};
  if (c.keys.access_key_id.empty() || c.keys.secret_access_key.empty())
    return InvalidArgument("credential_process output lacks AccessKeyId/SecretAccessKey: " + command);
  if (std::string exp = str("Expiration"); !exp.empty()) c.expiration = ParseIso8601(exp);
  c.source = "process";
  return c;
}

Result<Credentials> CredentialChain::FromProfile(const std::string& name, int depth) {
  if (depth > 8) return InvalidArgument("profile " + name + ": role chain too long (or a cycle)");
  if (auto role = Setting(name, "role_arn")) {
    Credentials source;
    if (auto src = Setting(name, "source_profile")) {
      if (*src == name && depth > 0) return InvalidArgument("profile " + name + ": source_profile names itself");
      // A source profile that is itself the role's profile uses its static keys.
      if (*src == name) {
        auto id = Setting(name, "aws_access_key_id");
        auto secret = Setting(name, "aws_secret_access_key");
        if (!id || !secret) return InvalidArgument("profile " + name + ": source_profile has no keys");
        source.keys = {*id, *secret, Setting(name, "aws_session_token").value_or("")};
      } else {
        CK_ASSIGN_OR_RETURN(source, FromProfile(*src, depth + 1));
      }
    } else if (Setting(name, "credential_source").value_or("") == "Environment") {
      source.keys = {Env("AWS_ACCESS_KEY_ID"), Env("AWS_SECRET_ACCESS_KEY"), Env("AWS_SESSION_TOKEN")};
    } else {
      return InvalidArgument("profile " + name + ": role_arn needs source_profile or credential_source");
    }
    std::string session = Setting(name, "role_session_name").value_or("crosskey-" + std::to_string(time(nullptr)));
    int duration = std::atoi(Setting(name, "duration_seconds").value_or("3600").c_str());
    CK_ASSIGN_OR_RETURN(Credentials assumed,
                        assume_role_(source, *role, session, Setting(name, "external_id").value_or(""), duration));
    assumed.source = "assumed role " + *role;
    return assumed;
  }
  auto id = Setting(name, "aws_access_key_id");
  auto secret = Setting(name, "aws_secret_access_key");
  if (id && secret) {
    Credentials c;
    c.keys = {*id, *secret, Setting(name, "aws_session_token").value_or("")};
    c.source = "profile " + name;
    return c;
  }
  if (auto process = Setting(name, "credential_process")) return FromProcess(*process);
  return Unauthenticated("profile " + name + " has no credentials");
}

Result<Credentials> CredentialChain::Resolve() {
  CK_RETURN_IF_ERROR(LoadFiles());
  if (profile_.empty()) {
    std::string id = Env("AWS_ACCESS_KEY_ID"), secret = Env("AWS_SECRET_ACCESS_KEY");
    if (!id.empty() && !secret.empty()) {
      Credentials c;
      c.keys = {id, secret, Env("AWS_SESSION_TOKEN")};
      c.source = "environment";
      return c;
    }
  }
  std::string name = !profile_.empty() ? profile_ : Env("AWS_PROFILE");
  if (name.empty()) name = Env("AWS_DEFAULT_PROFILE");
  if (name.empty()) name = "default";
  return FromProfile(name, 0);
}

Result<Credentials> CredentialChain::Get() {
  std::lock_guard<std::mutex> lock(mu_);
  bool fresh = cached_ && (!cached_->expiration || *cached_->expiration - std::chrono::minutes(5) >
                                                       std::chrono::system_clock::now());
  if (fresh) return *cached_;
  CK_ASSIGN_OR_RETURN(Credentials c, Resolve());
  cached_ = c;
  return c;
}

std::string CredentialChain::ProfileRegion() {
  std::lock_guard<std::mutex> lock(mu_);
  if (LoadFiles().ok()) {
    std::string name = !profile_.empty() ? profile_ : Env("AWS_PROFILE");
    if (name.empty()) name = "default";
    if (auto r = Setting(name, "region")) return *r;
  }
  std::string r = Env("AWS_REGION");
  return r.empty() ? Env("AWS_DEFAULT_REGION") : r;
}

}  // namespace ck::client
