// The S3 side of server-side encryption shared by the object, copy and
// multipart operations: the write-time choice and keys, and read-time keys
// (sse_request.h, sse_keys.h).
#include "base/codec.h"
#include "crypto/hash.h"
#include "services/s3/ops/common.h"

namespace ck::services::s3 {

SseCaller SseCallerFor(const Call& c, const BucketRecord& b) {
  return SseCaller{&c.ctx, b.region.empty() ? c.ctx.region : b.region};
}

Result<SseWrite> PrepareSseWrite(S3Service& s, Call& c, const BucketRecord& b, const std::string& key,
                                 const SseWriteMembers& members) {
  const SseOptions& o = s.sse().options();
  CK_ASSIGN_OR_RETURN(auto req, ParseWriteSse(members, o.require_key_arns));
  CK_ASSIGN_OR_RETURN(auto choice, ChooseSse(req, ReadBucketDefault(b.encryption)));
  std::string warning;
  auto w = s.sse().ForWrite(choice, b, key, SseCallerFor(c, b), &warning);
  if (!warning.empty()) {
    c.ctx.log_note = "WARNING " + warning;
    if (o.diagnostic_headers) c.warning_header = warning;
  }
  return w;
}

Result<ObjectKeysPtr> SseReadKeys(S3Service& s, const Call& c, const BucketRecord& b,
                                  const std::optional<StoredSse>& encryption, const CustomerKeyMembers& customer) {
  CK_ASSIGN_OR_RETURN(auto key, ParseCustomerKey(customer, /*reading=*/customer.prefix != kCustomerKeyPrefix));
  return s.sse().ForRead(encryption, SseCallerFor(c, b), key);
}

std::string OpaqueEtag(const std::string& md5_raw) {
  return HexEncode(crypto::Md5("crosskey-etag/v1" + md5_raw + crypto::RandomBytes(16)));
}

}  // namespace ck::services::s3
