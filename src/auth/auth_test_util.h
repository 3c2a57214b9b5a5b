// Helpers shared by the auth unit tests: build RequestHeads and sign them the
// way an SDK would (using the exposed canonicalization pieces).
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/sigv4.h"
#include "base/clock.h"
#include "http/message.h"

namespace ck::auth::testing {

inline http::RequestHead MakeHead(std::string method, std::string_view target,
                                  std::vector<std::pair<std::string, std::string>> headers) {
  http::RequestHead head;
  head.method = std::move(method);
  http::ParseTarget(target, &head);
  for (auto& [k, v] : headers) head.headers.Add(k, v);
  return head;
}

inline TimePoint At(std::string_view amz_date) { return *ParseAmzDate(amz_date); }

// Adds an Authorization header signing `signed_headers` (which must already be
// present on `head`, except that the list may name headers absent from it).
inline std::string SignHeaderAuth(http::RequestHead* head, std::string_view akid, std::string_view secret,
                                  std::string_view scope_date, std::string_view region, std::string_view service,
                                  std::vector<std::string> signed_headers, std::string_view payload_hash) {
  SigV4Request req;
  req.kind = AuthKind::kHeader;
  req.service = std::string(service);
  req.signed_headers = signed_headers;
  std::string amz_date = head->headers.GetOr("x-amz-date");
  std::string scope = std::string(scope_date) + "/" + std::string(region) + "/" + std::string(service) +
                      "/aws4_request";
  std::string sts = BuildStringToSign(amz_date, scope, BuildCanonicalRequest(*head, req, payload_hash));
  std::string sig = SignString(DeriveSigningKey(secret, scope_date, region, service), sts);
  std::string list;
  for (const auto& h : signed_headers) list += (list.empty() ? "" : ";") + h;
  head->headers.Add("Authorization", "AWS4-HMAC-SHA256 Credential=" + std::string(akid) + "/" + scope +
                                         ", SignedHeaders=" + list + ", Signature=" + sig);
  return sig;
}

}  // namespace ck::auth::testing
