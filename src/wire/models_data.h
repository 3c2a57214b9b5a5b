// The AWS service models compiled into the binary. The definitions are
// generated at build time by scripts/gen_models.py from the pinned models in
// models/ (botocore's service-2 models with documentation stripped) into
// generated/wire/models_data.cpp.
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
// "botocore 1.43.11": where the pinned models (models/VERSION) came from.
extern const char* const kModelsVersion;

}  // namespace ck::wire
