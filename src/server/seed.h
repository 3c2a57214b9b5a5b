// Applies a validated Config to the stores: accounts' root keys, users with
// access keys and inline policies, roles. Idempotent: entities the config
// declares are (re)written on every start, so the config stays the truth.
#pragma once

#include "base/clock.h"
#include "base/status.h"
#include "server/config.h"
#include "services/iam/identity_store.h"

namespace ck::server {

Status ApplyConfig(const Config& config, services::IdentityStore& identities, const Clock& clock);

}  // namespace ck::server
