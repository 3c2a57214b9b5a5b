#include "crypto/aead.h"

#include <openssl/evp.h>

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

struct ThreadContext {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~ThreadContext() { EVP_CIPHER_CTX_free(ctx); }
};

EVP_CIPHER_CTX* Context() {
  thread_local ThreadContext holder;
  return holder.ctx;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
int I(size_t n) { return static_cast<int>(n); }

}  // namespace

void AesGcmEncrypt(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                   std::string* out) {
  // The default GCM IV length is 12, the only one crosskey uses.
  if (key.size() != kAesGcmKeySize || iv.size() != kAesGcmIvSize) throw std::logic_error("AES-GCM key/iv size");
  EVP_CIPHER_CTX* ctx = Context();
  size_t base = out->size();
  out->resize(base + plaintext.size() + kAesGcmTagSize);
  auto* dst = reinterpret_cast<unsigned char*>(out->data()) + base;
  int len = 0;
  EVP_EncryptInit_ex2(ctx, Cipher(), U(key), U(iv), nullptr);
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
  EVP_CIPHER_CTX* ctx = Context();
  out->resize(n);
  auto* dst = reinterpret_cast<unsigned char*>(out->data());
  int len = 0;
  EVP_DecryptInit_ex2(ctx, Cipher(), U(key), U(iv), nullptr);
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
