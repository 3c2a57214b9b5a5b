// The S3 side of server-side encryption shared by the object, copy and
// multipart handlers: policy condition keys, the write-time choice and keys,
// and read-time keys (sse_request.h, sse_keys.h).
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/s3_internal.h"

namespace ck::services::s3 {

core::iam::ContextKeys WriteConditionKeys(const Call& c) {
  core::iam::ContextKeys keys;
  // INFERRED (AWS-SEMANTICS §2.8): the keys carry the headers as sent, not the
  // bucket default and not a normalized key ARN; absent headers leave them unset.
  for (const char* h : {"x-amz-server-side-encryption", "x-amz-server-side-encryption-aws-kms-key-id", "x-amz-acl",
                        "x-amz-storage-class"}) {
    if (auto v = c.head->headers.Get(h)) keys[std::string("s3:") + h] = {std::string(*v)};
  }
  return keys;
}

SseCaller SseCallerFor(const Call& c, const BucketRecord& b) {
  return SseCaller{&c.ctx, b.region.empty() ? c.ctx.region : b.region};
}

Result<SseWrite> PrepareSseWrite(S3Service& s, Call& c, const BucketRecord& b) {
  const SseOptions& o = s.sse().options();
  CK_ASSIGN_OR_RETURN(auto req, ParseWriteSse(c.head->headers, o.require_key_arns));
  CK_ASSIGN_OR_RETURN(auto choice, ChooseSse(req, ReadBucketDefault(b.encryption)));
  std::string warning;
  auto w = s.sse().ForWrite(choice, b, c.key, SseCallerFor(c, b), &warning);
  if (!warning.empty()) {
    c.ctx.log_note = "WARNING " + warning;
    if (o.diagnostic_headers) c.warning_header = warning;
  }
  return w;
}

Result<ObjectKeysPtr> SseReadKeys(S3Service& s, Call& c, const BucketRecord& b, const json& encryption,
                                  const std::string& customer_prefix) {
  CK_ASSIGN_OR_RETURN(auto customer, ParseCustomerKey(c.head->headers, customer_prefix));
  return s.sse().ForRead(encryption, SseCallerFor(c, b), customer);
}

std::string OpaqueEtag(const std::string& md5_raw) {
  return HexEncode(crypto::Md5("crosskey-etag/v1" + md5_raw + crypto::RandomBytes(16)));
}

}  // namespace ck::services::s3
