// Known-answer test of the KMS ciphertext blob (docs/kms.md "Blob format"): a
// blob written by an earlier build must still parse and open. (Sealing draws
// a random IV, so the check is on opening recorded bytes.)
#include <gtest/gtest.h>

#include "base/codec.h"
#include "core/kms/ciphertext.h"

namespace ck::core::kms {
namespace {

const char kBlobHex[] =
    "434b013131313131313131313131310975732d656173742d312431313131313131312d313131312d313131312d313131312d"
    "3131313131313131313131310000000220126ba821e4c0679415a07dbd973e8d0a3e2dc77fae16766421b27be6532dc30190"
    "b22c2d25d1b512e00d36";

TEST(BlobGolden, RecordedBlobParsesAndOpens) {
  std::string blob = *HexDecode(kBlobHex);
  auto header = ParseBlobHeader(blob);
  ASSERT_TRUE(header.ok());
  EXPECT_EQ(header->account, "111111111111");
  EXPECT_EQ(header->region, "us-east-1");
  EXPECT_EQ(header->key_id, "11111111-1111-1111-1111-111111111111");
  EXPECT_EQ(header->version, 2u);
  EncryptionContext context = {{"aws:s3:arn", "arn:aws:s3:::bucket1/o1"}};
  auto plain = OpenBlob(blob, std::string(32, '\x44'), context);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(*plain, "golden plaintext");
  // The context is bound: another one fails with KMS's empty-message error.
  auto wrong = OpenBlob(blob, std::string(32, '\x44'), {{"aws:s3:arn", "arn:aws:s3:::bucket1/o2"}});
  EXPECT_FALSE(wrong.ok());
  EXPECT_EQ(wrong.status().aws_code(), "InvalidCiphertextException");
}

}  // namespace
}  // namespace ck::core::kms
