#include "core/kms/aes_gcm.h"

#include <openssl/evp.h>

namespace ck::kms {

namespace {

struct CtxHolder {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CtxHolder() { EVP_CIPHER_CTX_free(ctx); }
};

EVP_CIPHER_CTX* ThreadCtx() {
  thread_local CtxHolder holder;
  return holder.ctx;
}

const unsigned char* U(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

void AesGcmSeal(std::string_view key, std::string_view iv, std::string_view aad, std::string_view plaintext,
                std::string* out) {
  EVP_CIPHER_CTX* ctx = ThreadCtx();
  size_t base = out->size();
  out->resize(base + iv.size() + plaintext.size() + kGcmTagSize);
  unsigned char* p = reinterpret_cast<unsigned char*>(out->data()) + base;
  std::copy(iv.begin(), iv.end(), p);
  int len = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, static_cast<int>(iv.size()), nullptr);
  EVP_EncryptInit_ex(ctx, nullptr, nullptr, U(key), U(iv));
  if (!aad.empty()) EVP_EncryptUpdate(ctx, nullptr, &len, U(aad), static_cast<int>(aad.size()));
  unsigned char* c = p + iv.size();
  if (!plaintext.empty()) EVP_EncryptUpdate(ctx, c, &len, U(plaintext), static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx, c + plaintext.size(), &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kGcmTagSize, c + plaintext.size());
}

std::optional<std::string> AesGcmOpen(std::string_view key, std::string_view aad, std::string_view sealed) {
  if (sealed.size() < kGcmIvSize + kGcmTagSize) return std::nullopt;
  EVP_CIPHER_CTX* ctx = ThreadCtx();
  std::string_view iv = sealed.substr(0, kGcmIvSize);
  std::string_view ct = sealed.substr(kGcmIvSize, sealed.size() - kGcmIvSize - kGcmTagSize);
  std::string tag(sealed.substr(sealed.size() - kGcmTagSize));
  std::string out(ct.size(), '\0');
  int len = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr, nullptr, nullptr);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, kGcmIvSize, nullptr);
  EVP_DecryptInit_ex(ctx, nullptr, nullptr, U(key), U(iv));
  if (!aad.empty()) EVP_DecryptUpdate(ctx, nullptr, &len, U(aad), static_cast<int>(aad.size()));
  if (!ct.empty())
    EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, U(ct), static_cast<int>(ct.size()));
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kGcmTagSize, tag.data());
  if (EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + ct.size(), &len) != 1)
    return std::nullopt;
  return out;
}

}  // namespace ck::kms
