// The rules of `crosskey lint` and the check that applies them to an Input.
//
// Each rule protects against one AWS behaviour (cited from AWS-SEMANTICS and
// docs/); docs/lint.md lists them with examples. The rules see only the Input
// model, never the format it was read from. Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "tools/lint/model.h"

namespace ck::tools::lint {

enum class Severity { kError, kWarning, kNote };

const char* SeverityName(Severity s);  // "error", "warning", "note"

struct Rule {
  std::string_view id;    // "CK001"
  std::string_view name;  // "s3-unqualified-key-cross-account-writer"
  Severity severity;
  std::string_view title;      // one line
  std::string_view behaviour;  // the AWS behaviour it protects against, with sources
  std::string_view fix;        // what to do
};

const std::vector<Rule>& Rules();
const Rule* FindRule(std::string_view id);

struct Related {
  Span span;
  std::string message;
};

struct Finding {
  const Rule* rule = nullptr;
  Span span;
  std::string message;
  std::string resource, resource_type, attribute;
  std::string value;        // the reference as written
  std::string arn;          // the exact ARN to use, when known
  std::string replacement;  // what --fix writes over `span`, when known
  std::string suggestion;   // what to write in the source, when --fix cannot (plans)
  std::vector<Related> related;
};

// Every finding for `input`, in input order (uses first, key policies after).
std::vector<Finding> Check(const Input& input);

}  // namespace ck::tools::lint
