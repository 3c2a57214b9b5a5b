// Known-answer tests of the at-rest formats (docs/crypto-scheme.md): if one
// of these fails, stored objects written by an earlier build would no longer
// open. The expected bytes were checked against an independent HKDF/AES-GCM
// implementation (Python's hmac and cryptography) when they were recorded.
#include <gtest/gtest.h>

#include "base/codec.h"
#include "crypto/segment_cipher.h"

namespace ck::crypto {
namespace {

const std::string kDataKey(32, '\x11');
const std::string kOuterKey(32, '\x22');
const std::string kSalt(32, '\x33');

TEST(FormatGolden, ObjectKeyDerivation) {
  // HKDF-SHA256(ikm = bucket key, salt, info = "crosskey/s3/bucket-key/v1").
  EXPECT_EQ(HexEncode(DeriveObjectKey(kDataKey, kSalt)),
            "6b3320b260e02ebf695cb4ca0dd05ceed39c022428429fe0e44465827efeed6f");
}

TEST(FormatGolden, OneLayerSegment) {
  const std::string sealed_hex =
      "a7b8711492c4f8e0217dd269bf97b4af8205e8f39dca2aa58602984a1f85214ee18c17d3c7c359";
  SegmentSealer sealer({kDataKey, "", kSalt});
  std::string out;
  sealer.Update("crosskey golden segment", &out);
  sealer.Finish(&out);
  EXPECT_EQ(HexEncode(out), sealed_hex);
  SegmentOpener opener({kDataKey, "", kSalt}, 23);
  auto opened = opener.Open(0, *HexDecode(sealed_hex));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "crosskey golden segment");
}

TEST(FormatGolden, TwoLayerSegment) {
  const std::string sealed_hex =
      "784da55322a77bf7d31cf455f888acc53fad2eb74c7c60e7a05d0f561e578369848e7bcba5d7b7d66b51";
  SegmentSealer sealer({kDataKey, kOuterKey, kSalt});
  std::string out;
  sealer.Update("two layers", &out);
  sealer.Finish(&out);
  EXPECT_EQ(HexEncode(out), sealed_hex);
  SegmentOpener opener({kDataKey, kOuterKey, kSalt}, 10);
  auto opened = opener.Open(0, *HexDecode(sealed_hex));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "two layers");
}

}  // namespace
}  // namespace ck::crypto
