// KMS's errors (JSON 1.1: {"__type": code, "message": text}, always 400).
// The table is core/kms/errors.h, shared with core's key rules so that both
// layers answer with the same statuses; this instantiates it with the
// service toolkit (typed factories and ErrorSpecs for the operation table).
#pragma once

#include "core/kms/errors.h"
#include "services/common/errors.h"

namespace ck::services::kms::errors {
CK_KMS_ERRORS(CK_ERROR_FACTORY)
}  // namespace ck::services::kms::errors
