// The server master key that wraps all KMS key material: 32 bytes from
// CROSSKEY_MASTER_KEY (base64), else DATA_DIR/master.key (created with mode
// 0600 on first start), else (memory mode) random for this process only.
// The key is never logged.
//
// Thread safety: call once at start.
#pragma once

#include <string>

#include "base/status.h"

namespace ck::services::kms {

// `env_value` is the CROSSKEY_MASTER_KEY value (nullptr when unset).
Result<std::string> LoadMasterKey(const char* env_value, const std::string& data_dir, bool memory);

}  // namespace ck::services::kms
