// AWS Signature Version 2 for S3 (legacy): the `Authorization: AWS AKID:sig`
// header and presigned query URLs (AWSAccessKeyId, Signature, Expires).
// boto3 still presigns S3 URLs with SigV2 unless told `signature_version="s3v4"`,
// so crosskey accepts it for S3 only. Pure logic; thread-safe.
#pragma once

#include <optional>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "http/message.h"

namespace ck::auth {

struct SigV2Request {
  bool presigned = false;
  std::string access_key_id;
  std::string signature;     // base64 as sent
  int64_t expires = 0;       // presigned: epoch seconds
  TimePoint date;            // header form: Date / x-amz-date
};

// nullopt when the request does not use SigV2; an error when it does but is malformed.
std::optional<Result<SigV2Request>> ParseSigV2(const http::RequestHead& head);

// The string to sign (exposed for tests and SignatureDoesNotMatch fields).
std::string SigV2StringToSign(const http::RequestHead& head, const SigV2Request& req);

// Presigned expiry ("Request has expired") or header-date skew.
Status CheckSigV2Time(const SigV2Request& req, TimePoint now);
Status VerifySigV2(const http::RequestHead& head, const SigV2Request& req, std::string_view secret);

}  // namespace ck::auth
