// Applies a validated Config to the stores: accounts' root keys, users with
// access keys and inline policies, roles. The config declares a baseline,
// applied at every start; API-made changes to what it declares are handled
// so (README "Restarts and API changes" says the same to users):
//
//   reset to the config at every start
//     - access keys the config declares (secret, Active), roots' and users';
//     - users: existence (re-created if deleted through the API), path, and
//       each inline policy the config names;
//     - roles: existence, path, trust policy, maximum session duration, and
//       each inline policy the config names.
//   kept
//     - everything the config does not name: inline policies added through
//       the API, attached managed policies, tags, role descriptions, access
//       keys made by CreateAccessKey, user and role ids and creation dates.
//   withdrawn
//     - an inline policy or access key an earlier start applied from the
//       config and the config no longer declares (remembered in the
//       `crosskey.config` table). Users and roles are never deleted by a
//       restart: one dropped from the config stays, as if made through the API.
//
// Every change a start makes to existing state is logged. A start without a
// config file does not call this: the state stays as the last run left it.
#pragma once

#include "base/clock.h"
#include "base/status.h"
#include "server/config.h"
#include "services/iam/identity_store.h"

namespace ck::server {

Status ApplyConfig(const Config& config, services::IdentityStore& identities, const Clock& clock);

}  // namespace ck::server
