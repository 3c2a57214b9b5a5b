#include "core/kms/ciphertext.h"

#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::kms {

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

Status InvalidCiphertext() { return AwsError("InvalidCiphertextException", 400, ""); }

std::string CanonicalContext(const EncryptionContext& context) {
  std::string out;
  for (const auto& [k, v] : context) {
    PutU32(static_cast<uint32_t>(k.size()), &out);
    out.append(k);
    PutU32(static_cast<uint32_t>(v.size()), &out);
    out.append(v);
  }
  return out;
}

std::string SealBlob(const BlobHeader& header, std::string_view key, std::string_view plaintext,
                     const EncryptionContext& context) {
  std::string blob;
  blob.reserve(64 + plaintext.size() + crypto::kAesGcmIvSize + crypto::kAesGcmTagSize);
  EncodeHeader(header, &blob);
  std::string aad = blob;
  aad.append(CanonicalContext(context));
  std::string iv = crypto::RandomBytes(crypto::kAesGcmIvSize);
  crypto::AesGcmSeal(key, iv, aad, plaintext, &blob);
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
  std::string aad(blob.substr(0, n));
  aad.append(CanonicalContext(context));
  auto plain = crypto::AesGcmOpen(key, aad, blob.substr(n));
  if (!plain) return InvalidCiphertext();
  return std::move(*plain);
}

}  // namespace ck::kms
