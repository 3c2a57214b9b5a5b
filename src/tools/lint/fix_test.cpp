#include "tools/lint/fix.h"

#include <gtest/gtest.h>

namespace ck::tools::lint {
namespace {

TEST(ApplyEdits, ReplacesAndSkipsOverlaps) {
  std::string text = "a = \"alias/x\" # keep\nb = 1\n";
  std::vector<Edit> edits = {{4, 13, "aws_kms_alias.x.arn"}, {4, 13, "aws_kms_alias.x.arn"}, {6, 8, "zz"}};
  EXPECT_EQ(ApplyEdits(text, edits), "a = aws_kms_alias.x.arn # keep\nb = 1\n");
}

TEST(UnifiedDiff, HunksWithContext) {
  std::string before, after;
  for (int i = 1; i <= 20; ++i) {
    before += "line " + std::to_string(i) + "\n";
    after += (i == 10 ? "changed" : "line " + std::to_string(i)) + "\n";
  }
  EXPECT_EQ(UnifiedDiff("f.tf", before, after),
            "--- a/f.tf\n+++ b/f.tf\n@@ -7,7 +7,7 @@\n line 7\n line 8\n line 9\n-line 10\n+changed\n line 11\n"
            " line 12\n line 13\n");
  EXPECT_EQ(UnifiedDiff("f.tf", before, before), "");
}

}  // namespace
}  // namespace ck::tools::lint
