// Request authentication parsing: SigV4 Authorization headers and presigned
// queries, SigV2 headers and presigned URLs, the canonical request and string
// to sign built from them, verification against a fixed secret, and the
// aws-chunked options read from the head.
#include <cstdint>

#include "auth/chunked.h"
#include "auth/sigv2.h"
#include "auth/sigv4.h"
#include "base/clock.h"
#include "base/codec.h"
#include "crypto/hash.h"
#include "fuzz_input.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  http::RequestHead head;
  if (!fuzz::ReadHead(in, &head)) return 0;
  std::string_view body = in.Rest();
  // 2015-08-30T12:36:00Z, the date of AWS's SigV4 test suite.
  const TimePoint now = FromEpochSeconds(1440938160);

  auto v4 = auth::ParseSigV4(head);
  if (v4.ok()) {
    (void)v4->Scope();
    (void)auth::CheckRequestTime(*v4, now);
    std::string hash = HexEncode(crypto::Sha256(body));
    for (bool plus : {false, true}) {
      std::string canonical = auth::BuildCanonicalRequest(head, *v4, hash, plus);
      (void)auth::BuildStringToSign(v4->amz_date_text, v4->Scope(), canonical);
    }
    auth::SigningContext signing;
    if (auth::VerifySignature(head, *v4, "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", hash, now, &signing).ok() &&
        auth::IsStreaming(v4->payload_mode)) {
      (void)auth::ChunkedOptionsFromHead(head, v4->payload_mode, signing);
    }
  }
  (void)auth::ClassifyPayloadHash(head.headers.GetOr("x-amz-content-sha256"));
  (void)auth::ChunkedOptionsFromHead(head, auth::PayloadMode::kStreamingUnsignedTrailer);
  (void)auth::CanonicalUri(head.raw_path, false);
  (void)auth::CanonicalQueryString(head.raw_query, true, true);

  auto v2 = auth::ParseSigV2(head);
  if (v2 && v2->ok()) {
    (void)auth::SigV2StringToSign(head, **v2);
    (void)auth::CheckSigV2Time(**v2, now);
    (void)auth::VerifySigV2(head, **v2, "secret");
  }
  return 0;
}
