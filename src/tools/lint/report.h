// Rendering findings: human text (file:line:column, the line, a caret under
// the value), JSON for tools, and SARIF 2.1.0 for code-scanning services.
// Pure functions over their arguments; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "tools/lint/rules.h"
#include "tools/lint/source.h"

namespace ck::tools::lint {

struct Report {
  const Sources* sources = nullptr;
  std::vector<Finding> findings;
  std::vector<std::string> errors;  // unreadable inputs: "path:line:column: message"
  size_t files = 0;                 // files read
};

std::string RenderText(const Report& report);
std::string RenderJson(const Report& report);
std::string RenderSarif(const Report& report, const std::string& version);

// The rules, for `crosskey lint --list-rules`.
std::string RenderRules();

// A path as a SARIF artifact URI: relative paths percent-encoded, absolute
// ones as file:// URIs.
std::string PathToUri(const std::string& path);

}  // namespace ck::tools::lint
