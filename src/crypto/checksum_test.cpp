#include "crypto/checksum.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "base/codec.h"

namespace ck::crypto {
namespace {

constexpr std::string_view kCheck = "123456789";

std::string RandomData(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (auto& c : s) c = static_cast<char>(rng());
  return s;
}

// Bit-at-a-time reference implementations, independent of the table code.
uint32_t RefCrc32c(std::string_view data) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ 0x82F63B78u : crc >> 1;
  }
  return ~crc;
}
uint64_t RefCrc64Nvme(std::string_view data) {
  // Non-reflected polynomial, reflected here bit by bit to cross-check the constant.
  uint64_t poly = 0;
  for (int i = 0; i < 64; ++i)
    if (0xAD93D23594C93659ull >> i & 1) poly |= 1ull << (63 - i);
  uint64_t crc = ~0ull;
  for (unsigned char c : data) {
    crc ^= c;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
  }
  return ~crc;
}

TEST(Checksum, KnownAnswers) {
  EXPECT_EQ(Crc32(0, kCheck), 0xCBF43926u);
  EXPECT_EQ(Crc32c(0, kCheck), 0xE3069283u);
  EXPECT_EQ(Crc64Nvme(0, kCheck), 0xAE8B14860A799888ull);
  EXPECT_EQ(Crc32(0, ""), 0u);
  EXPECT_EQ(Crc32c(0, ""), 0u);
  EXPECT_EQ(Crc64Nvme(0, ""), 0u);
}

TEST(Checksum, Base64BigEndian) {
  // 0xCBF43926 -> bytes CB F4 39 26.
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kCrc32, kCheck), Base64Encode("\xCB\xF4\x39\x26"));
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kCrc32c, kCheck), Base64Encode("\xE3\x06\x92\x83"));
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kCrc64Nvme, kCheck),
            Base64Encode("\xAE\x8B\x14\x86\x0A\x79\x98\x88"));
  // "Hello world" values as S3 documents / SDKs compute them.
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kCrc32, "Hello world"), "i9aeUg==");
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kSha256, "abc"),
            "ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0=");
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kSha1, "abc"), "qZk+NkcGgWq6PiVxeFDCbJzQ2J0=");
  EXPECT_EQ(ComputeChecksumBase64(ChecksumAlgorithm::kCrc32, ""), "AAAAAA==");
}

TEST(Checksum, MatchesBitwiseReferenceOnRandomData) {
  for (size_t n : {0u, 1u, 7u, 8u, 9u, 63u, 64u, 65u, 1000u, 4099u}) {
    std::string d = RandomData(n, static_cast<unsigned>(n));
    EXPECT_EQ(Crc32c(0, d), RefCrc32c(d)) << n;
    EXPECT_EQ(Crc64Nvme(0, d), RefCrc64Nvme(d)) << n;
    // Unaligned starting points exercise the alignment prologue.
    if (n > 3) {
      EXPECT_EQ(Crc32c(0, std::string_view(d).substr(3)), RefCrc32c(std::string_view(d).substr(3)));
      EXPECT_EQ(Crc64Nvme(0, std::string_view(d).substr(3)), RefCrc64Nvme(std::string_view(d).substr(3)));
    }
  }
}

TEST(Checksum, IncrementalEqualsOneShotForEverySplit) {
  std::string d = RandomData(300, 7);
  for (auto alg : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme,
                   ChecksumAlgorithm::kSha1, ChecksumAlgorithm::kSha256}) {
    std::string whole = ComputeChecksumBase64(alg, d);
    for (size_t split : {0u, 1u, 5u, 8u, 13u, 150u, 299u, 300u}) {
      Checksummer c(alg);
      c.Update(std::string_view(d).substr(0, split));
      c.Update(std::string_view(d).substr(split));
      EXPECT_EQ(c.FinalBase64(), whole) << ChecksumAlgorithmName(alg) << " split " << split;
    }
    Checksummer bytewise(alg);
    for (char ch : d) bytewise.Update(std::string_view(&ch, 1));
    EXPECT_EQ(bytewise.FinalBase64(), whole);
    EXPECT_EQ(Base64Decode(whole)->size(), ChecksumDigestSize(alg));
  }
}

TEST(Checksum, CombineMatchesConcatenation) {
  std::string a = RandomData(1000, 1), b = RandomData(777, 2);
  std::string ab = a + b;
  EXPECT_EQ(Crc32Combine(Crc32(0, a), Crc32(0, b), b.size()), Crc32(0, ab));
  EXPECT_EQ(Crc32cCombine(Crc32c(0, a), Crc32c(0, b), b.size()), Crc32c(0, ab));
  EXPECT_EQ(Crc64NvmeCombine(Crc64Nvme(0, a), Crc64Nvme(0, b), b.size()), Crc64Nvme(0, ab));
  EXPECT_EQ(Crc32cCombine(Crc32c(0, a), 0, 0), Crc32c(0, a));
  for (auto alg : {ChecksumAlgorithm::kCrc32, ChecksumAlgorithm::kCrc32c, ChecksumAlgorithm::kCrc64Nvme}) {
    Checksummer ca(alg), cb(alg), cab(alg);
    ca.Update(a);
    cb.Update(b);
    cab.Update(ab);
    auto combined = CombineCrc(alg, ca.FinalRaw(), cb.FinalRaw(), b.size());
    ASSERT_TRUE(combined);
    EXPECT_EQ(*combined, cab.FinalRaw()) << ChecksumAlgorithmName(alg);
  }
  EXPECT_FALSE(CombineCrc(ChecksumAlgorithm::kSha256, std::string(32, 'a'), std::string(32, 'b'), 1));
  EXPECT_FALSE(CombineCrc(ChecksumAlgorithm::kCrc32, "abc", "abcd", 1));
}

TEST(Checksum, ParseNames) {
  EXPECT_EQ(ParseChecksumAlgorithm("CRC32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ParseChecksumAlgorithm("crc32c"), ChecksumAlgorithm::kCrc32c);
  EXPECT_EQ(ParseChecksumAlgorithm("x-amz-checksum-crc32"), ChecksumAlgorithm::kCrc32);
  EXPECT_EQ(ParseChecksumAlgorithm("X-Amz-Checksum-CRC64NVME"), ChecksumAlgorithm::kCrc64Nvme);
  EXPECT_EQ(ParseChecksumAlgorithm("sha1"), ChecksumAlgorithm::kSha1);
  EXPECT_EQ(ParseChecksumAlgorithm("SHA256"), ChecksumAlgorithm::kSha256);
  EXPECT_FALSE(ParseChecksumAlgorithm("md5"));
  EXPECT_FALSE(ParseChecksumAlgorithm("x-amz-checksum-"));
  EXPECT_FALSE(ParseChecksumAlgorithm("crc"));
  EXPECT_EQ(ChecksumHeaderName(ChecksumAlgorithm::kCrc64Nvme), "x-amz-checksum-crc64nvme");
  EXPECT_STREQ(ChecksumAlgorithmName(ChecksumAlgorithm::kCrc32c), "CRC32C");
}

}  // namespace
}  // namespace ck::crypto
