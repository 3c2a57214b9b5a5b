// Session: the credentials and options a tool talks to AWS with, and the
// clients for each service made from them; AssumeRole gives the session of a
// role (used for --assume and for role_arn profiles).
//
// Thread safety: safe for concurrent use once built.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "client/aws_client.h"
#include "client/credentials.h"

namespace ck::client {

class Session {
 public:
  Session(ClientOptions options, std::shared_ptr<CredentialSource> credentials);

  // The AWS CLI's chain for `profile` (empty: environment, AWS_PROFILE, default);
  // the region comes from options, else the profile, else us-east-1.
  static Result<std::shared_ptr<Session>> FromProfile(std::string profile, ClientOptions options);

  // A client for `service` ("s3", "kms", "sts", "iam", "cloudtrail"), made once.
  AwsClient& Client(const std::string& service);
  const ClientOptions& options() const { return options_; }

  // sts:AssumeRole as this session; the new session shares the options.
  Result<std::shared_ptr<Session>> AssumeRole(const std::string& role_arn, const std::string& session_name,
                                              const std::string& external_id = "", int duration_seconds = 3600);
  // sts:GetCallerIdentity: the account and ARN of these credentials.
  Result<std::pair<std::string, std::string>> WhoAmI();

 private:
  ClientOptions options_;
  std::shared_ptr<CredentialSource> credentials_;
  std::mutex mu_;
  std::map<std::string, std::unique_ptr<AwsClient>> clients_;
};

}  // namespace ck::client
