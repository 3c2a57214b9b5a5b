#include "crypto/aead.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <cstring>

#include <stdexcept>

namespace ck::crypto {

namespace {

const EVP_CIPHER* Cipher() {
  static EVP_CIPHER* cipher = [] {
    EVP_CIPHER* c = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
    if (c == nullptr) throw std::runtime_error("OpenSSL provides no AES-256-GCM");
    return c;
  }();
  return cipher;
}

// A few cipher contexts per thread, each keyed: re-initialising a context
// with only a new IV skips the AES key expansion and GCM hash-key setup, which
// dominate sealing a short data key under the same KMS key again and again.
class ThreadContexts {
 public:
  ~ThreadContexts() {
    for (Slot& s : slots_) {
      OPENSSL_cleanse(s.key, sizeof s.key);
      EVP_CIPHER_CTX_free(s.ctx);
    }
  }

  // A context initialised for `key` and `iv`, encrypting or decrypting.
  EVP_CIPHER_CTX* For(std::string_view key, std::string_view iv, bool encrypt) {
    const auto* k = reinterpret_cast<const unsigned char*>(key.data());
    const auto* v = reinterpret_cast<const unsigned char*>(iv.data());
    for (Slot& s : slots_) {
      // Plain memcmp: both sides are crosskey's own keys, never a caller's guess.
      if (s.ready && s.encrypt == encrypt && std::memcmp(s.key, k, kAesGcmKeySize) == 0) {
        CipherInit(s.ctx, nullptr, nullptr, v, encrypt);
        return s.ctx;
      }
    }
    Slot& s = slots_[next_++ % kSlots];
    if (s.ctx == nullptr) s.ctx = EVP_CIPHER_CTX_new();
    std::memcpy(s.key, k, kAesGcmKeySize);
    s.encrypt = encrypt;
    s.ready = CipherInit(s.ctx, Cipher(), k, v, encrypt);
    return s.ctx;
  }

 private:
  static bool CipherInit(EVP_CIPHER_CTX* ctx, const EVP_CIPHER* cipher, const unsigned char* key,
                         const unsigned char* iv, bool encrypt) {
    return (encrypt ? EVP_EncryptInit_ex2(ctx, cipher, key, iv, nullptr)
                    : EVP_DecryptInit_ex2(ctx, cipher, key, iv, nullptr)) == 1;
  }

  static constexpr size_t kSlots = 8;
  struct Slot {
    unsigned char key[kAesGcmKeySize] = {};
    bool encrypt = false;
    bool ready = false;
    EVP_CIPHER_CTX* ctx = nullptr;
  };
  Slot slots_[kSlots];
  size_t next_ = 0;
};

EVP_CIPHER_CTX* Context(std::string_view key, std::string_view iv, bool encrypt) {
  thread_local ThreadContexts contexts;
  return contexts.For(key, iv, encrypt);
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
int I(size_t n) { return static_cast<int>(n); }

}  // namespace

void AesGcmEncrypt(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                   std::string* out) {
  // The default GCM IV length is 12, the only one crosskey uses.
  if (key.size() != kAesGcmKeySize || iv.size() != kAesGcmIvSize) throw std::logic_error("AES-GCM key/iv size");
  EVP_CIPHER_CTX* ctx = Context(key, iv, true);
  size_t base = out->size();
  out->resize(base + plaintext.size() + kAesGcmTagSize);
  auto* dst = reinterpret_cast<unsigned char*>(out->data()) + base;
  int len = 0;
  if (!aad.empty()) EVP_EncryptUpdate(ctx, nullptr, &len, U(aad), I(aad.size()));
  if (!plaintext.empty()) EVP_EncryptUpdate(ctx, dst, &len, U(plaintext), I(plaintext.size()));
  EVP_EncryptFinal_ex(ctx, dst + plaintext.size(), &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kAesGcmTagSize, dst + plaintext.size());
}

bool AesGcmDecrypt(std::string_view key, std::string_view iv, std::string_view aad, std::string_view sealed,
                   std::string* out) {
  out->clear();
  if (sealed.size() < kAesGcmTagSize || key.size() != kAesGcmKeySize || iv.size() != kAesGcmIvSize) return false;
  size_t n = sealed.size() - kAesGcmTagSize;
  EVP_CIPHER_CTX* ctx = Context(key, iv, false);
  out->resize(n);
  auto* dst = reinterpret_cast<unsigned char*>(out->data());
  int len = 0;
  if (!aad.empty()) EVP_DecryptUpdate(ctx, nullptr, &len, U(aad), I(aad.size()));
  if (n > 0) EVP_DecryptUpdate(ctx, dst, &len, U(sealed), I(n));
  unsigned char tag[kAesGcmTagSize];
  std::copy(sealed.end() - kAesGcmTagSize, sealed.end(), tag);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kAesGcmTagSize, tag);
  if (EVP_DecryptFinal_ex(ctx, dst + n, &len) != 1) {
    out->clear();
    return false;
  }
  return true;
}

void AesGcmSeal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                std::string* out) {
  out->append(iv);
  AesGcmEncrypt(key, iv, aad, plaintext, out);
}

std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view aad, std::string_view sealed) {
  if (sealed.size() < kAesGcmIvSize + kAesGcmTagSize) return std::nullopt;
  std::string out;
  if (!AesGcmDecrypt(key, sealed.substr(0, kAesGcmIvSize), aad, sealed.substr(kAesGcmIvSize), &out))
    return std::nullopt;
  return out;
}

}  // namespace ck::crypto
