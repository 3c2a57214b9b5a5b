// LiveConsoleData: the web console's JSON API (GET /_crosskey/api/…, shapes
// in docs/admin-api.md) computed from crosskey's current state at each call.
//
// It reads through read-only views the services expose and nothing else: the
// KMS KeyCatalog (keys and aliases as served; resolving a reference through
// it creates no key and records no event), the IdentityStore's user and role
// listings, the S3, DynamoDB and Secrets Manager catalogs (s3/catalog.h,
// dynamodb/catalog.h, secretsmanager/catalog.h: summaries of their records)
// and the CloudTrail EventRecorder's lookups. It never calls a service as a
// client, so looking at the console changes nothing a client could observe.
//
// The judgements (what a bucket's default key reference resolves to for its
// owner and for each writer the bucket policy admits; which objects are under
// another account's key) are core/audit's, the ones `crosskey audit` makes
// against AWS, applied to crosskey's own state.
//
// Answers never carry key material, secret values, object contents or
// credentials: every member is picked by name from the records.
//
// Thread safety: safe for concurrent use (every source is).
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "services/admin/admin_service.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/iam/identity_store.h"
#include "services/kms/key_catalog.h"
#include "storage/metadata_store.h"

namespace ck::services::console {

struct ConsoleSources {
  kms::KeyCatalog& keys;
  IdentityStore& identities;
  storage::MetadataStore& store;  // read through the S3, DynamoDB and Secrets Manager catalogs
  cloudtrail::EventRecorder& events;
  std::string region;             // the server's default region
};

class LiveConsoleData final : public ConsoleData {
 public:
  explicit LiveConsoleData(ConsoleSources sources) : src_(std::move(sources)) {}

  // Routes "accounts", "buckets", "buckets/NAME", "buckets/NAME/objects",
  // "map" and "events" (query: mismatch=1, account=ID, shared_event_id=ID).
  Result<nlohmann::json> Get(const std::string& path, const http::RequestHead& head) override;

  Result<nlohmann::json> Accounts();
  Result<nlohmann::json> Buckets();
  Result<nlohmann::json> Bucket(const std::string& name);
  Result<nlohmann::json> Objects(const std::string& bucket, bool only_findings);
  Result<nlohmann::json> Map();
  Result<nlohmann::json> AccountEvents(const std::string& account);
  Result<nlohmann::json> SharedEvents(const std::string& shared_event_id);

  // A bucket's objects are looked at in key order up to this many (the
  // answer says `truncated`); an account's events, newest first, likewise.
  static constexpr size_t kMaxObjects = 1000;
  static constexpr size_t kMaxEvents = 200;
  // How far back SharedEvents looks in each account.
  static constexpr size_t kMaxEventsSearched = 2000;

 private:
  ConsoleSources src_;
};

}  // namespace ck::services::console
