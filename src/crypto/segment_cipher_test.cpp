#include "crypto/segment_cipher.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace ck::crypto {
namespace {

SegmentKeys Keys(bool dsse = false) {
  return {RandomBytes(32), dsse ? RandomBytes(32) : "", RandomBytes(32)};
}

std::string SealAll(const SegmentKeys& k, std::string_view plain, size_t piece) {
  SegmentSealer s(k);
  std::string out;
  for (size_t i = 0; i < plain.size(); i += piece) s.Update(plain.substr(i, piece), &out);
  s.Finish(&out);
  return out;
}

std::string OpenRange(const SegmentKeys& k, const std::string& blob, uint64_t size, uint64_t a, uint64_t b) {
  SegmentOpener o(k, size);
  auto span = SpanFor(size, a, b, o.two_layers());
  uint64_t stride = kSegmentSize + (o.two_layers() ? 32 : 16);
  std::string plain;
  for (uint64_t i = span.first_segment; i <= span.last_segment; ++i) {
    uint64_t off = i * stride;
    uint64_t len = std::min<uint64_t>(stride, blob.size() - off);
    auto seg = o.Open(i, std::string_view(blob).substr(off, len));
    EXPECT_TRUE(seg.ok()) << seg.status().ToString();
    plain += *seg;
  }
  uint64_t skip = a - span.first_segment * kSegmentSize;
  return plain.substr(skip, b - a + 1);
}

TEST(SegmentCipher, RoundTripsAtEveryBoundary) {
  for (bool dsse : {false, true}) {
    for (uint64_t size : {uint64_t{0}, uint64_t{1}, kSegmentSize - 1, kSegmentSize, kSegmentSize + 1,
                          3 * kSegmentSize, 3 * kSegmentSize + 17}) {
      auto k = Keys(dsse);
      std::string plain = RandomBytes(size);
      for (size_t piece : {size_t{1000}, size_t{kSegmentSize}, size_t{200000}}) {
        std::string blob = SealAll(k, plain, piece);
        EXPECT_EQ(blob.size(), SealedSize(size, dsse));
        if (size == 0) continue;
        EXPECT_EQ(OpenRange(k, blob, size, 0, size - 1), plain) << size;
        for (uint64_t a : {uint64_t{0}, kSegmentSize - 1, kSegmentSize, size - 1}) {
          if (a >= size) continue;
          uint64_t b = std::min(size - 1, a + kSegmentSize);
          EXPECT_EQ(OpenRange(k, blob, size, a, b), plain.substr(a, b - a + 1)) << size << " " << a;
        }
      }
    }
  }
}

TEST(SegmentCipher, DetectsTamperingTruncationReorderingAndWrongKey) {
  auto k = Keys();
  uint64_t size = 2 * kSegmentSize + 5;
  std::string plain = RandomBytes(size);
  std::string blob = SealAll(k, plain, 4096);
  SegmentOpener o(k, size);
  uint64_t stride = kSegmentSize + 16;
  std::string seg0 = blob.substr(0, stride), seg1 = blob.substr(stride, stride);
  ASSERT_TRUE(o.Open(0, seg0).ok());
  std::string flipped = seg0;
  flipped[100] ^= 1;
  EXPECT_EQ(o.Open(0, flipped).status().code(), Code::kDataLoss);
  EXPECT_FALSE(o.Open(1, seg0).ok());  // reordered
  // Truncation: a 2-segment object whose second full segment is presented as final fails.
  SegmentOpener shorter(k, 2 * kSegmentSize);
  EXPECT_FALSE(shorter.Open(1, seg1).ok());
  auto other = Keys();
  other.salt = k.salt;
  SegmentOpener wrong(other, size);
  EXPECT_FALSE(wrong.Open(0, seg0).ok());
  EXPECT_FALSE(o.Open(2, std::string_view(blob).substr(2 * stride, 10)).ok());  // short segment
}

TEST(SegmentCipher, SameKeyDifferentSaltGivesDifferentCiphertext) {
  auto k1 = Keys();
  auto k2 = k1;
  k2.salt = RandomBytes(32);
  std::string plain(1000, 'x');
  EXPECT_NE(SealAll(k1, plain, 1000), SealAll(k2, plain, 1000));
}

TEST(SegmentCipher, DerivedKeysAndWrapping) {
  std::string bk = RandomBytes(32), s1 = RandomBytes(32), s2 = RandomBytes(32);
  EXPECT_EQ(DeriveObjectKey(bk, s1), DeriveObjectKey(bk, s1));
  EXPECT_NE(DeriveObjectKey(bk, s1), DeriveObjectKey(bk, s2));
  EXPECT_EQ(DeriveObjectKey(bk, s1).size(), 32u);
  std::string mk = RandomBytes(32), dk = RandomBytes(32);
  std::string w = WrapKey(mk, "sse-s3", dk);
  EXPECT_EQ(*UnwrapKey(mk, "sse-s3", w), dk);
  EXPECT_FALSE(UnwrapKey(mk, "other-purpose", w).ok());
  EXPECT_FALSE(UnwrapKey(RandomBytes(32), "sse-s3", w).ok());
}

}  // namespace
}  // namespace ck::crypto
