// YAML (CloudFormation templates) into a Node tree with spans, through
// yaml-cpp.
//
// CloudFormation's short-form intrinsic functions are custom tags: `!Ref X`
// becomes the long form {"Ref": "X"}, `!GetAtt K.Arn` {"Fn::GetAtt": "K.Arn"},
// `!Sub ...` {"Fn::Sub": ...}, and so on, each spanning from its tag to the
// end of its value, so that the CloudFormation reader handles YAML and JSON
// templates alike. Scalars are strings (CloudFormation's own view); a scalar's
// span covers its quotes, and a one-line plain or quoted scalar is
// replaceable.
//
// Pure functions; thread-safe.
#pragma once

#include <string_view>

#include "tools/lint/json_reader.h"
#include "tools/lint/node.h"

namespace ck::tools::lint {

bool ParseYaml(std::string_view text, uint32_t file, Node* out, ParseError* error);

}  // namespace ck::tools::lint
