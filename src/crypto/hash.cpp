#include "crypto/hash.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <stdexcept>

namespace ck::crypto {

namespace {
const EVP_MD* Md(DigestAlgorithm alg) {
  switch (alg) {
    case DigestAlgorithm::kMd5: return EVP_md5();
    case DigestAlgorithm::kSha1: return EVP_sha1();
    case DigestAlgorithm::kSha256: return EVP_sha256();
  }
  return EVP_sha256();
}

std::string OneShot(const EVP_MD* md, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), out, &len, md, nullptr);
  return std::string(reinterpret_cast<char*>(out), len);
}
}  // namespace

std::string Sha256(std::string_view d) { return OneShot(EVP_sha256(), d); }
std::string Md5(std::string_view d) { return OneShot(EVP_md5(), d); }
std::string Sha1(std::string_view d) { return OneShot(EVP_sha1(), d); }

std::string HmacSha256(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sha1(), key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

namespace {

// Per-thread pool of RAND_bytes output: each RAND_bytes call locks the DRBG,
// checks for fork and runs its own AES-CTR setup, which costs more than the
// 12 to 64 bytes most callers (IVs, data keys, ids) ask for. Bytes leave the
// pool once and are wiped as they go.
struct RandomPool {
  unsigned char bytes[4096];
  size_t next = sizeof bytes;
  ~RandomPool() { OPENSSL_cleanse(bytes, sizeof bytes); }
};

void RandBytesOrDie(unsigned char* out, size_t n) {
  if (RAND_bytes(out, static_cast<int>(n)) != 1)
    throw std::runtime_error("RAND_bytes failed");  // the process cannot continue safely without randomness
}

}  // namespace

void RandomFill(void* out, size_t n) {
  auto* dst = static_cast<unsigned char*>(out);
  if (n > 256) {
    RandBytesOrDie(dst, n);
    return;
  }
  thread_local RandomPool pool;
  if (sizeof pool.bytes - pool.next < n) {
    RandBytesOrDie(pool.bytes, sizeof pool.bytes);
    pool.next = 0;
  }
  std::memcpy(dst, pool.bytes + pool.next, n);
  OPENSSL_cleanse(pool.bytes + pool.next, n);
  pool.next += n;
}

std::string RandomBytes(size_t n) {
  std::string out(n, '\0');
  RandomFill(out.data(), n);
  return out;
}

struct Hasher::Impl {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Impl() { EVP_MD_CTX_free(ctx); }
};

Hasher::Hasher(DigestAlgorithm alg) : impl_(std::make_unique<Impl>()) {
  EVP_DigestInit_ex(impl_->ctx, Md(alg), nullptr);
}
Hasher::~Hasher() = default;
Hasher::Hasher(Hasher&&) noexcept = default;
Hasher& Hasher::operator=(Hasher&&) noexcept = default;

void Hasher::Update(std::string_view data) { EVP_DigestUpdate(impl_->ctx, data.data(), data.size()); }

std::string Hasher::Final() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out, &len);
  return std::string(reinterpret_cast<char*>(out), len);
}

}  // namespace ck::crypto
