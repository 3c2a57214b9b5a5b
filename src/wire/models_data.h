// The AWS service models compiled into the binary. The definitions are
// generated at build time by scripts/gen_models.py (botocore's service-2
// models with documentation stripped) into generated/wire/models_data.cpp.
//
// Thread safety: constant data.
#pragma once

#include <cstddef>

namespace ck::wire {

struct EmbeddedModel {
  const char* service;          // "s3", "kms", ...
  const char* const* chunks;    // the compact JSON, split to stay under string-literal limits
  size_t chunk_count;
  size_t total_size;
};

extern const EmbeddedModel kEmbeddedModels[];
extern const size_t kEmbeddedModelCount;

}  // namespace ck::wire
