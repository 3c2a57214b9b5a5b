#include "crypto/aead.h"

#include <gtest/gtest.h>

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::crypto {
namespace {

std::string Key(char c) { return std::string(kAesGcmKeySize, c); }

TEST(AesGcm, RoundTripsAndAuthenticatesAad) {
  std::string iv = RandomBytes(kAesGcmIvSize);
  std::string sealed;
  AesGcmSeal(Key('k'), iv, "aad", "secret", &sealed);
  ASSERT_EQ(sealed.size(), kAesGcmIvSize + 6 + kAesGcmTagSize);
  EXPECT_EQ(AesGcmOpen(Key('k'), "aad", sealed), "secret");
  EXPECT_EQ(AesGcmOpen(Key('k'), "other", sealed), std::nullopt);
  EXPECT_EQ(AesGcmOpen(Key('x'), "aad", sealed), std::nullopt);
  EXPECT_EQ(AesGcmOpen(Key('k'), "aad", sealed.substr(0, 20)), std::nullopt);
}

// NIST SP 800-38D / McGrew-Viega test case 14 (AES-256, zero key and IV, one zero block).
TEST(AesGcm, KnownAnswer) {
  std::string out;
  AesGcmEncrypt(std::string(32, '\0'), std::string(12, '\0'), "", std::string(16, '\0'), &out);
  EXPECT_EQ(HexEncode(out), "cea7403d4d606b6e074ec5d3baf39d18d0d1c8a799996bf0265b98b5d48ab919");
}

// The per-thread keyed contexts: a tampered open, many keys in turn and both
// directions under one key leave every later call correct.
TEST(AesGcm, ReusedContextsStayCorrect) {
  std::string iv = RandomBytes(kAesGcmIvSize);
  std::vector<std::string> sealed(20);
  for (int i = 0; i < 20; ++i) AesGcmSeal(Key(static_cast<char>('a' + i)), iv, "x", "m" + std::to_string(i), &sealed[i]);
  for (int round = 0; round < 3; ++round) {
    for (int i = 19; i >= 0; --i) {
      std::string bad = sealed[i];
      bad.back() ^= 1;
      EXPECT_EQ(AesGcmOpen(Key(static_cast<char>('a' + i)), "x", bad), std::nullopt);
      EXPECT_EQ(AesGcmOpen(Key(static_cast<char>('a' + i)), "x", sealed[i]), "m" + std::to_string(i));
    }
  }
  std::string again;
  AesGcmSeal(Key('a'), iv, "x", "m0", &again);
  EXPECT_EQ(again, sealed[0]);  // same key, IV and input: same output after all that reuse
}

}  // namespace
}  // namespace ck::crypto
