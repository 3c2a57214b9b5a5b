// Router: which service and protocol a request is for, decided from the
// request head alone (pure; no I/O), in this order:
//   1. /_crosskey/... → crosskey's own endpoints (health, console)
//   2. X-Amz-Target → a JSON-protocol service by its target prefix
//   3. the SigV4 credential scope's service name (header or presigned query)
//   4. a form-encoded POST to "/" → the query protocol (STS unless scoped to IAM)
//   5. anything else → S3 (path-style or virtual-hosted)
#pragma once

#include <string>

#include "http/message.h"

namespace ck::services {

enum class Protocol { kRestXml, kJson, kQuery, kInternal };

struct Route {
  std::string service;    // "s3", "kms", "sts", "iam", "dynamodb", "secretsmanager", "cloudtrail", "crosskey"
  Protocol protocol = Protocol::kRestXml;
  std::string operation;  // known at routing time for JSON (from X-Amz-Target); else ""
  std::string region;     // from the credential scope when signed, else ""
  bool json_1_0 = false;  // DynamoDB speaks JSON 1.0
  // Set when the request names a service or target crosskey does not serve:
  // the gateway answers with that protocol's unknown-operation error.
  bool unknown = false;
};

Route RouteRequest(const http::RequestHead& head);

// "AKID/20150830/us-east-1/iam/aws4_request" → its parts; false if malformed.
bool ParseCredentialScope(std::string_view credential, std::string* access_key, std::string* date,
                          std::string* region, std::string* service);

}  // namespace ck::services
