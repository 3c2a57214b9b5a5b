#include "crypto/segment_cipher.h"

#include <openssl/evp.h>
#include <openssl/kdf.h>

#include <stdexcept>

#include "crypto/aead.h"
#include "crypto/hash.h"

namespace ck::crypto {

namespace {

constexpr std::string_view kAadInner = "ck-seg-v1";
constexpr std::string_view kAadOuter = "ck-seg-v1-outer";
constexpr size_t kIv = 12;

std::string Be64(uint64_t v) {
  std::string s(8, '\0');
  for (int i = 7; i >= 0; --i, v >>= 8) s[i] = static_cast<char>(v & 0xff);
  return s;
}

std::string Nonce(uint64_t index) { return std::string(4, '\0') + Be64(index); }

std::string Aad(std::string_view label, std::string_view salt, uint64_t index, bool final) {
  std::string aad(label);
  aad += salt;
  aad += Be64(index);
  aad += final ? '\x01' : '\x00';
  return aad;
}

void Seal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view in, std::string* out) {
  AesGcmEncrypt(key, iv, aad, in, out);
}

bool Open(std::string_view key, std::string_view iv, std::string_view aad, std::string_view sealed, std::string* out) {
  return AesGcmDecrypt(key, iv, aad, sealed, out);
}

uint64_t SegmentCount(uint64_t size) { return size == 0 ? 1 : (size + kSegmentSize - 1) / kSegmentSize; }
uint64_t Overhead(bool two_layers) { return two_layers ? 2 * kSegmentTagSize : kSegmentTagSize; }

}  // namespace

uint64_t SealedSize(uint64_t n, bool two_layers) { return n + SegmentCount(n) * Overhead(two_layers); }

SealedSpan SpanFor(uint64_t size, uint64_t first, uint64_t last, bool two_layers) {
  SealedSpan s;
  s.first_segment = first / kSegmentSize;
  s.last_segment = std::min(last / kSegmentSize, SegmentCount(size) - 1);
  uint64_t stride = kSegmentSize + Overhead(two_layers);
  s.blob_offset = s.first_segment * stride;
  uint64_t end = std::min((s.last_segment + 1) * stride, SealedSize(size, two_layers));
  s.blob_length = end - s.blob_offset;
  return s;
}

SegmentSealer::SegmentSealer(SegmentKeys keys) : keys_(std::move(keys)) {
  if (keys_.data_key.size() != 32 || keys_.salt.size() != 32) throw std::invalid_argument("segment keys");
  pending_.reserve(kSegmentSize);
}
SegmentSealer::~SegmentSealer() = default;

void SegmentSealer::Update(std::string_view in, std::string* out) {
  total_ += in.size();
  while (!in.empty()) {
    size_t take = std::min<size_t>(in.size(), kSegmentSize - pending_.size());
    pending_.append(in.substr(0, take));
    in.remove_prefix(take);
    // A full segment is sealed only once more data shows it is not the last.
    if (pending_.size() == kSegmentSize && !in.empty()) Seal(false, out);
  }
}

void SegmentSealer::Seal(bool final, std::string* out) {
  std::string nonce = Nonce(index_);
  if (keys_.outer_key.empty()) {
    crypto::Seal(keys_.data_key, nonce, Aad(kAadInner, keys_.salt, index_, final), pending_, out);
  } else {
    std::string inner;
    crypto::Seal(keys_.data_key, nonce, Aad(kAadInner, keys_.salt, index_, final), pending_, &inner);
    crypto::Seal(keys_.outer_key, nonce, Aad(kAadOuter, keys_.salt, index_, final), inner, out);
  }
  pending_.clear();
  ++index_;
}

void SegmentSealer::Finish(std::string* out) { Seal(true, out); }

SegmentOpener::SegmentOpener(SegmentKeys keys, uint64_t size)
    : keys_(std::move(keys)), size_(size), count_(SegmentCount(size)) {}

Result<std::string> SegmentOpener::Open(uint64_t index, std::string_view sealed) const {
  std::string plain, scratch;
  CK_RETURN_IF_ERROR(OpenInto(index, sealed, &plain, &scratch));
  return plain;
}

Status SegmentOpener::OpenInto(uint64_t index, std::string_view sealed, std::string* out, std::string* scratch) const {
  if (index >= count_) return DataLoss("segment index out of range");
  bool final = index + 1 == count_;
  uint64_t expected_plain = final ? size_ - index * kSegmentSize : kSegmentSize;
  if (sealed.size() != expected_plain + Overhead(two_layers()))
    return DataLoss("object data is truncated or corrupt (segment " + std::to_string(index) + ")");
  std::string nonce = Nonce(index);
  bool ok;
  if (two_layers()) {
    ok = crypto::Open(keys_.outer_key, nonce, Aad(kAadOuter, keys_.salt, index, final), sealed, scratch) &&
         crypto::Open(keys_.data_key, nonce, Aad(kAadInner, keys_.salt, index, final), *scratch, out);
  } else {
    ok = crypto::Open(keys_.data_key, nonce, Aad(kAadInner, keys_.salt, index, final), sealed, out);
  }
  if (!ok) return DataLoss("object data failed its integrity check (segment " + std::to_string(index) + ")");
  return Status::Ok();
}

std::string DeriveObjectKey(std::string_view bucket_key, std::string_view salt) {
  std::string out(32, '\0');
  EVP_PKEY_CTX* pctx = EVP_PKEY_CTX_new_id(EVP_PKEY_HKDF, nullptr);
  static constexpr std::string_view kInfo = "crosskey/s3/bucket-key/v1";
  size_t len = out.size();
  EVP_PKEY_derive_init(pctx);
  EVP_PKEY_CTX_set_hkdf_md(pctx, EVP_sha256());
  EVP_PKEY_CTX_set1_hkdf_salt(pctx, reinterpret_cast<const unsigned char*>(salt.data()), static_cast<int>(salt.size()));
  EVP_PKEY_CTX_set1_hkdf_key(pctx, reinterpret_cast<const unsigned char*>(bucket_key.data()),
                             static_cast<int>(bucket_key.size()));
  EVP_PKEY_CTX_add1_hkdf_info(pctx, reinterpret_cast<const unsigned char*>(kInfo.data()), static_cast<int>(kInfo.size()));
  EVP_PKEY_derive(pctx, reinterpret_cast<unsigned char*>(out.data()), &len);
  EVP_PKEY_CTX_free(pctx);
  return out;
}

std::string WrapKey(std::string_view wrapping_key, std::string_view purpose, std::string_view secret) {
  std::string iv = RandomBytes(kIv);
  std::string out = iv;
  Seal(wrapping_key, iv, purpose, secret, &out);
  return out;
}

Result<std::string> UnwrapKey(std::string_view wrapping_key, std::string_view purpose, std::string_view wrapped) {
  if (wrapped.size() < kIv + kSegmentTagSize) return DataLoss("wrapped key is too short");
  std::string out;
  if (!Open(wrapping_key, wrapped.substr(0, kIv), purpose, wrapped.substr(kIv), &out))
    return DataLoss("wrapped key failed its integrity check");
  return out;
}

}  // namespace ck::crypto
