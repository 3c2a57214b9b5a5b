#include "core/kms/ciphertext.h"

#include "core/kms/errors.h"
#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::core::kms {

namespace {

constexpr unsigned char kMagic0 = 'C', kMagic1 = 'K', kFormat = 1;

void PutU32(uint32_t v, std::string* out) {
  out->push_back(static_cast<char>(v >> 24));
  out->push_back(static_cast<char>(v >> 16));
  out->push_back(static_cast<char>(v >> 8));
  out->push_back(static_cast<char>(v));
}

uint32_t GetU32(std::string_view s, size_t at) {
  auto b = [&](size_t i) { return static_cast<uint32_t>(static_cast<unsigned char>(s[at + i])); };
  return b(0) << 24 | b(1) << 16 | b(2) << 8 | b(3);
}

void EncodeHeader(const BlobHeader& h, std::string* out) {
  out->push_back(static_cast<char>(kMagic0));
  out->push_back(static_cast<char>(kMagic1));
  out->push_back(static_cast<char>(kFormat));
  out->append(h.account);
  out->push_back(static_cast<char>(h.region.size()));
  out->append(h.region);
  out->push_back(static_cast<char>(h.key_id.size()));
  out->append(h.key_id);
  PutU32(h.version, out);
}

// Header length, or 0 when the bytes do not start with a valid header.
size_t DecodeHeader(std::string_view b, BlobHeader* h) {
  if (b.size() < 3 + 12 + 1 || static_cast<unsigned char>(b[0]) != kMagic0 ||
      static_cast<unsigned char>(b[1]) != kMagic1 || static_cast<unsigned char>(b[2]) != kFormat)
    return 0;
  size_t at = 3;
  h->account = std::string(b.substr(at, 12));
  at += 12;
  size_t rlen = static_cast<unsigned char>(b[at++]);
  if (b.size() < at + rlen + 1) return 0;
  h->region = std::string(b.substr(at, rlen));
  at += rlen;
  size_t klen = static_cast<unsigned char>(b[at++]);
  if (b.size() < at + klen + 4) return 0;
  h->key_id = std::string(b.substr(at, klen));
  at += klen;
  h->version = GetU32(b, at);
  at += 4;
  for (char c : h->account)
    if (c < '0' || c > '9') return 0;
  return at;
}

}  // namespace

Status InvalidCiphertext() { return errors::InvalidCiphertext(""); }

void AppendCanonicalContext(const EncryptionContext& context, std::string* out) {
  for (const auto& [k, v] : context) {
    PutU32(static_cast<uint32_t>(k.size()), out);
    out->append(k);
    PutU32(static_cast<uint32_t>(v.size()), out);
    out->append(v);
  }
}

std::string CanonicalContext(const EncryptionContext& context) {
  std::string out;
  AppendCanonicalContext(context, &out);
  return out;
}

namespace {

// The AAD (header || canonical context), built in a per-thread buffer: the
// data-key hot path should not allocate for it.
std::string& Aad(std::string_view header, const EncryptionContext& context) {
  thread_local std::string aad;
  aad.assign(header);
  AppendCanonicalContext(context, &aad);
  return aad;
}

}  // namespace

std::string SealBlob(const BlobHeader& header, std::string_view key, std::string_view plaintext,
                     const EncryptionContext& context) {
  std::string blob;
  blob.reserve(3 + header.account.size() + 2 + header.region.size() + header.key_id.size() + 4 +
               crypto::kAesGcmIvSize + plaintext.size() + crypto::kAesGcmTagSize);
  EncodeHeader(header, &blob);
  const std::string& aad = Aad(blob, context);
  char iv[crypto::kAesGcmIvSize];
  crypto::RandomFill(iv, sizeof iv);
  crypto::AesGcmSeal(key, std::string_view(iv, sizeof iv), aad, plaintext, &blob);
  return blob;
}

Result<BlobHeader> ParseBlobHeader(std::string_view blob) {
  BlobHeader h;
  size_t n = DecodeHeader(blob, &h);
  if (n == 0 || blob.size() < n + crypto::kAesGcmIvSize + crypto::kAesGcmTagSize) return InvalidCiphertext();
  return h;
}

Result<std::string> OpenBlob(std::string_view blob, std::string_view key, const EncryptionContext& context) {
  BlobHeader h;
  size_t n = DecodeHeader(blob, &h);
  if (n == 0) return InvalidCiphertext();
  auto plain = crypto::AesGcmOpen(key, Aad(blob.substr(0, n), context), blob.substr(n));
  if (!plain) return InvalidCiphertext();
  return std::move(*plain);
}

}  // namespace ck::core::kms
