// KMS ciphertext blobs (core/kms/ciphertext): header parsing and opening of
// arbitrary bytes under a fixed key and context, and the seal/open round trip
// of an input-chosen header, context and plaintext.
#include <cstdint>

#include "core/kms/ciphertext.h"
#include "fuzz_input.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  const std::string key(32, '\x42');
  uint8_t mode = in.Byte();
  if (mode & 1) {
    // SealBlob's contract: a 12-digit account, region and key id under 256 bytes.
    core::kms::BlobHeader h;
    for (int i = 0; i < 12; ++i) h.account += static_cast<char>('0' + in.Byte() % 10);
    h.region = std::string(in.Until('\0').substr(0, 255));
    h.key_id = std::string(in.Until('\0').substr(0, 255));
    h.version = in.Byte();
    core::kms::EncryptionContext ctx;
    ctx[std::string(in.Until('\0'))] = std::string(in.Until('\0'));
    std::string plaintext(in.Rest());
    std::string blob = core::kms::SealBlob(h, key, plaintext, ctx);
    auto parsed = core::kms::ParseBlobHeader(blob);
    auto opened = core::kms::OpenBlob(blob, key, ctx);
    // What was sealed opens again, under the same header.
    if (!parsed.ok() || !opened.ok() || *opened != plaintext || parsed->account != h.account ||
        parsed->region != h.region || parsed->key_id != h.key_id || parsed->version != h.version)
      __builtin_trap();
    return 0;
  }
  std::string_view blob = in.Rest();
  (void)core::kms::ParseBlobHeader(blob);
  (void)core::kms::OpenBlob(blob, key, {});
  (void)core::kms::OpenBlob(blob, key, {{"aws:s3:arn", "arn:aws:s3:::bucket/key"}});
  return 0;
}
