#include "auth/signer.h"

#include <algorithm>

#include "auth/sigv4.h"

namespace ck::auth {

namespace {

bool Signed(std::string_view name) {
  return name == "host" || name == "content-type" || name == "content-md5" || name.substr(0, 6) == "x-amz-";
}

}  // namespace

void SignSigV4(http::RequestHead& head, const SigningCredentials& credentials, std::string_view region,
               std::string_view service, std::string_view payload_sha256_hex, TimePoint now) {
  SigV4Request req;
  req.kind = AuthKind::kHeader;
  req.access_key_id = credentials.access_key_id;
  req.amz_date_text = FormatAmzDate(now);
  req.scope_date = req.amz_date_text.substr(0, 8);
  req.region = std::string(region);
  req.service = std::string(service);
  head.headers.Remove("authorization");
  head.headers.Set("x-amz-date", req.amz_date_text);
  if (!credentials.session_token.empty()) head.headers.Set("x-amz-security-token", credentials.session_token);
  if (req.IsS3()) head.headers.Set("x-amz-content-sha256", std::string(payload_sha256_hex));
  for (const auto& [name, value] : head.headers.all())
    if (Signed(name) && std::find(req.signed_headers.begin(), req.signed_headers.end(), name) == req.signed_headers.end())
      req.signed_headers.push_back(name);
  std::sort(req.signed_headers.begin(), req.signed_headers.end());
  std::string canonical = BuildCanonicalRequest(head, req, payload_sha256_hex);
  std::string to_sign = BuildStringToSign(req.amz_date_text, req.Scope(), canonical);
  std::string key = DeriveSigningKey(credentials.secret_access_key, req.scope_date, req.region, req.service);
  std::string headers_list;
  for (const auto& h : req.signed_headers) headers_list += (headers_list.empty() ? "" : ";") + h;
  head.headers.Set("authorization", std::string(kAlgorithm) + " Credential=" + credentials.access_key_id + "/" +
                                        req.Scope() + ", SignedHeaders=" + headers_list +
                                        ", Signature=" + SignString(key, to_sign));
}

}  // namespace ck::auth
