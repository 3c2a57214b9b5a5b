// The audit's output: a summary per bucket for people, JSON for tools, and
// SARIF 2.1.0 so CI code-scanning views show findings.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "tools/audit/audit.h"

namespace ck::tools::audit {

enum class Format { kText, kJson, kSarif };

std::string RenderText(const std::vector<BucketReport>& reports);
std::string RenderJson(const std::vector<BucketReport>& reports);
std::string RenderSarif(const std::vector<BucketReport>& reports);
std::string Render(const std::vector<BucketReport>& reports, Format format);

// Findings exist (the audit's exit status 1): an object under the wrong key,
// or a writer whose puts fail or land under its own key.
bool HasFindings(const std::vector<BucketReport>& reports);

}  // namespace ck::tools::audit
