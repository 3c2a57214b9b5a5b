#include "core/kms/ciphertext.h"

#include <gtest/gtest.h>

#include "crypto/hash.h"

namespace ck::core::kms {
namespace {

const std::string kKey(32, 'k');

TEST(CiphertextTest, RoundTripAndHeaderNamesKeyAndVersion) {
  BlobHeader h{"111111111111", "us-east-1", "11111111-1111-1111-1111-111111111111", 3};
  std::string blob = SealBlob(h, kKey, "secret", {{"a", "1"}});
  auto parsed = ParseBlobHeader(blob);
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->account, "111111111111");
  EXPECT_EQ(parsed->region, "us-east-1");
  EXPECT_EQ(parsed->key_id, h.key_id);
  EXPECT_EQ(parsed->version, 3u);
  auto plain = OpenBlob(blob, kKey, {{"a", "1"}});
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "secret");
}

TEST(CiphertextTest, WrongContextMissingContextOrWrongKeyFailsWithEmptyMessage) {
  BlobHeader h{"111111111111", "us-east-1", "k", 1};
  std::string blob = SealBlob(h, kKey, "secret", {{"a", "1"}});
  for (const EncryptionContext& ctx : {EncryptionContext{{"a", "2"}}, EncryptionContext{},
                                       EncryptionContext{{"a", "1"}, {"b", "2"}}, EncryptionContext{{"A", "1"}}}) {
    auto r = OpenBlob(blob, kKey, ctx);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().aws_code(), "InvalidCiphertextException");
    EXPECT_EQ(r.status().message(), "");
  }
  EXPECT_FALSE(OpenBlob(blob, std::string(32, 'x'), {{"a", "1"}}).ok());
}

TEST(CiphertextTest, EveryFlippedByteIsDetected) {
  BlobHeader h{"111111111111", "us-east-1", "abc", 7};
  std::string blob = SealBlob(h, kKey, "0123456789", {});
  for (size_t i = 0; i < blob.size(); ++i) {
    std::string t = blob;
    t[i] = static_cast<char>(t[i] ^ 0x01);
    EXPECT_FALSE(OpenBlob(t, kKey, {}).ok()) << "byte " << i;
  }
  EXPECT_FALSE(ParseBlobHeader("garbage").ok());
  EXPECT_FALSE(ParseBlobHeader(blob.substr(0, 20)).ok());
}

TEST(CiphertextTest, ContextOrderDoesNotMatterButBoundariesDo) {
  // std::map canonicalizes order; length prefixes keep {"ab":"c"} and {"a":"bc"} apart.
  EXPECT_NE(CanonicalContext({{"ab", "c"}}), CanonicalContext({{"a", "bc"}}));
  BlobHeader h{"111111111111", "us-east-1", "abc", 1};
  std::string blob = SealBlob(h, kKey, "x", {{"ab", "c"}});
  EXPECT_FALSE(OpenBlob(blob, kKey, {{"a", "bc"}}).ok());
}

TEST(CiphertextTest, SameInputGivesDifferentBlobs) {
  BlobHeader h{"111111111111", "us-east-1", "abc", 1};
  EXPECT_NE(SealBlob(h, kKey, "x", {}), SealBlob(h, kKey, "x", {}));
}

}  // namespace
}  // namespace ck::core::kms
