// Credentials the way the AWS CLI finds them, for crosskey's AWS clients.
//
// Order (botocore's): with an explicit profile (--profile), that profile;
// otherwise AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN
// from the environment, then the profile named by AWS_PROFILE (or
// "default"). A profile is read from the shared credentials file
// (AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/credentials) and the config
// file (AWS_CONFIG_FILE, default ~/.aws/config, sections "[profile NAME]"
// and "[default]") and gives, in this order of precedence:
//   role_arn + source_profile (or credential_source = Environment): the
//     source's credentials, then STS AssumeRole (role_session_name,
//     external_id, duration_seconds honoured) — chains of any length, with
//     cycles refused;
//   aws_access_key_id / aws_secret_access_key / aws_session_token;
//   credential_process: a command printing {"Version":1,"AccessKeyId",…}.
// The profile's `region` is reported for the caller to use.
//
// Thread safety: CredentialChain::Get may be called from many threads; it
// refreshes temporary credentials five minutes before they expire.
#pragma once

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "auth/signer.h"
#include "base/clock.h"
#include "base/status.h"

namespace ck::client {

struct Credentials {
  auth::SigningCredentials keys;
  std::optional<TimePoint> expiration;
  std::string source;  // "environment", "profile dev", "assumed role arn:…", "process"
};

// Where the chain reads its inputs; tests replace them.
struct CredentialEnvironment {
  std::function<std::optional<std::string>(const std::string&)> getenv;  // default: ::getenv
  // Runs a credential_process command and returns its standard output.
  std::function<Result<std::string>(const std::string&)> run;  // default: popen
  static CredentialEnvironment System();
};

// STS AssumeRole as the `source` credentials (supplied by the AWS client).
using AssumeRoleFn = std::function<Result<Credentials>(const Credentials& source, const std::string& role_arn,
                                                       const std::string& session_name,
                                                       const std::string& external_id, int duration_seconds)>;

// An INI file as the AWS tools read it: sections of key = value lines.
using IniFile = std::map<std::string, std::map<std::string, std::string>>;
Result<IniFile> ParseIni(std::string_view text, const std::string& file_name);

// Whatever supplies an AwsClient's credentials.
class CredentialSource {
 public:
  virtual ~CredentialSource() = default;
  virtual Result<Credentials> Get() = 0;
};

// Fixed credentials (e.g. the result of an AssumeRole the caller made).
class StaticCredentials final : public CredentialSource {
 public:
  explicit StaticCredentials(Credentials c) : c_(std::move(c)) {}
  Result<Credentials> Get() override { return c_; }

 private:
  Credentials c_;
};

class CredentialChain final : public CredentialSource {
 public:
  CredentialChain(std::string profile, CredentialEnvironment env, AssumeRoleFn assume_role);

  Result<Credentials> Get() override;
  // The region the profile names (config file `region`), else AWS_REGION /
  // AWS_DEFAULT_REGION; empty when none.
  std::string ProfileRegion();

 private:
  Result<Credentials> Resolve();
  Result<Credentials> FromProfile(const std::string& name, int depth);
  Result<Credentials> FromProcess(const std::string& command);
  Status LoadFiles();
  std::optional<std::string> Setting(const std::string& profile, const std::string& key);
  std::string Env(const std::string& name);

  std::string profile_;  // explicit --profile, or empty
  CredentialEnvironment env_;
  AssumeRoleFn assume_role_;
  std::mutex mu_;
  bool loaded_ = false;
  IniFile config_, credentials_;
  std::optional<Credentials> cached_;
};

}  // namespace ck::client
