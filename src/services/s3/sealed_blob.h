// The object_io SegmentSealer/SegmentOpener for encrypted objects: the
// docs/crypto-scheme.md segment format (crypto/segment_cipher.h) over one
// blob, given the object's plaintext data keys.
//
// Each blob stores its own 32-byte salt S in Segment::sealing ({"v":1,
// "s":base64(S), "d":bool}). With "d" the blob's segment key is
// HKDF(DK, S) (crypto::DeriveObjectKey): bucket-key objects (DK is the
// bucket key) and multipart parts (one DK per upload, many blobs) derive;
// a single-blob object under a fresh per-object DK uses DK itself.
//
// Thread safety: ObjectKeys is immutable and shared; a sealer or opener
// belongs to one request.
#pragma once

#include <memory>
#include <string>

#include "base/status.h"
#include "services/s3/object_io.h"

namespace ck::services::s3 {

// Plaintext key material of one object or upload. Memory only, never stored or logged.
struct ObjectKeys {
  std::string key;      // DK (DSSE: the inner layer's DK2), or the bucket key
  std::string outer;    // DSSE only: DK1, the outer layer
  bool derive = false;  // every blob derives its keys (bucket keys, multipart uploads)
};
using ObjectKeysPtr = std::shared_ptr<const ObjectKeys>;

std::unique_ptr<SegmentSealer> MakeSealer(ObjectKeysPtr keys);
// `plaintext_size` is the segment's recorded size.
Result<std::unique_ptr<SegmentOpener>> MakeOpener(const ObjectKeysPtr& keys,
                                                  const std::optional<SegmentSealing>& sealing,
                                                  uint64_t plaintext_size);

}  // namespace ck::services::s3
