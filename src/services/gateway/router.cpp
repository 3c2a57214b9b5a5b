#include "services/gateway/router.h"

#include "base/codec.h"

namespace ck::services {

namespace {

struct TargetPrefix {
  std::string_view prefix;
  std::string_view service;
  bool json_1_0;
};

constexpr TargetPrefix kTargets[] = {
    {"TrentService", "kms", false},
    {"DynamoDB_20120810", "dynamodb", true},
    {"secretsmanager", "secretsmanager", false},
    {"com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "cloudtrail", false},
};

constexpr std::string_view kJsonServices[] = {"kms", "dynamodb", "secretsmanager", "cloudtrail"};

// The credential's scope service, from the Authorization header or presigned query.
std::string ScopeOf(const http::RequestHead& head, std::string* region) {
  std::string credential;
  if (auto auth = head.headers.Get("authorization")) {
    auto pos = auth->find("Credential=");
    if (pos != std::string_view::npos) {
      auto rest = auth->substr(pos + 11);
      credential = std::string(rest.substr(0, rest.find_first_of(", ")));
    }
  } else if (auto q = head.QueryValue("X-Amz-Credential")) {
    credential = std::string(*q);
  }
  std::string ak, date, service;
  if (credential.empty() || !ParseCredentialScope(credential, &ak, &date, region, &service)) return "";
  return service;
}

}  // namespace

bool ParseCredentialScope(std::string_view credential, std::string* access_key, std::string* date,
                          std::string* region, std::string* service) {
  std::string_view parts[5];
  for (int i = 0; i < 5; ++i) {
    auto slash = credential.find('/');
    if (i < 4 && slash == std::string_view::npos) return false;
    parts[i] = credential.substr(0, slash);
    credential = slash == std::string_view::npos ? std::string_view() : credential.substr(slash + 1);
  }
  if (!credential.empty() || parts[4] != "aws4_request") return false;
  *access_key = parts[0];
  *date = parts[1];
  *region = parts[2];
  *service = parts[3];
  return true;
}

Route RouteRequest(const http::RequestHead& head) {
  Route r;
  if (StartsWith(head.path, "/_crosskey/") || head.path == "/_crosskey") {
    r.service = "crosskey";
    r.protocol = Protocol::kInternal;
    return r;
  }
  std::string scope_service = ScopeOf(head, &r.region);

  if (auto target = head.headers.Get("x-amz-target")) {
    auto dot = target->rfind('.');
    std::string_view prefix = dot == std::string_view::npos ? *target : target->substr(0, dot);
    r.protocol = Protocol::kJson;
    r.operation = dot == std::string_view::npos ? "" : std::string(target->substr(dot + 1));
    for (const auto& t : kTargets) {
      if (t.prefix == prefix) {
        r.service = std::string(t.service);
        r.json_1_0 = t.json_1_0;
        return r;
      }
    }
    r.service = scope_service.empty() ? std::string(prefix) : scope_service;
    r.unknown = true;
    return r;
  }

  if (!scope_service.empty()) {
    if (scope_service == "s3") {
      r.service = "s3";
      return r;
    }
    if (scope_service == "sts" || scope_service == "iam") {
      r.service = scope_service;
      r.protocol = Protocol::kQuery;
      return r;
    }
    for (auto s : kJsonServices) {
      if (s == scope_service) {
        // A JSON service without X-Amz-Target cannot name an operation.
        r.service = scope_service;
        r.protocol = Protocol::kJson;
        r.json_1_0 = scope_service == "dynamodb";
        r.unknown = true;
        return r;
      }
    }
    r.service = scope_service;
    r.protocol = Protocol::kQuery;
    r.unknown = true;
    return r;
  }

  // Unsigned: a form POST to "/" is the query protocol (e.g. AssumeRoleWithWebIdentity).
  std::string content_type = ToLower(head.headers.GetOr("content-type"));
  if (head.method == "POST" && head.path == "/" && StartsWith(content_type, "application/x-www-form-urlencoded")) {
    r.service = "sts";
    r.protocol = Protocol::kQuery;
    return r;
  }
  if (head.method == "GET" && head.path == "/" && head.QueryValue("Action")) {
    r.service = "sts";
    r.protocol = Protocol::kQuery;
    return r;
  }
  r.service = "s3";
  return r;
}

}  // namespace ck::services
