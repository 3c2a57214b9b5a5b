// EventRecorder: CloudTrail-style management events for any service.
// Services describe a call (ApiEvent); the recorder renders the CloudTrail
// record once per recipient account (the caller's and, for cross-account use
// that was not denied, the resource owner's, with a shared sharedEventID) and
// stores it where LookupEvents finds it newest-first:
//   table "cloudtrail.events", key ACCOUNT "/" hex(2^64-1 - epoch µs) "/" EVENTID,
//   value the event in its compact binary form (event_codec.h).
// Record() encodes on the calling thread from the caller's own data (ApiEvent
// holds views, so describing a call copies nothing) and queues the records; a
// writer thread stores them in batches. Lookup() flushes first, so a caller
// always sees its own earlier events, and renders the CloudTrail JSON and the
// LookupEvents entry (api::cloudtrail::Event) of the events it returns.
//
// Thread safety: all methods are safe for concurrent use.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <optional>
#include <span>
#include <string_view>
#include <string>
#include <thread>
#include <vector>

#include "api/cloudtrail.h"
#include "base/clock.h"
#include "base/status.h"
#include "core/principal.h"
#include "storage/metadata_store.h"

namespace ck::services::cloudtrail {

struct EventResource {
  std::string_view arn, account, type;  // type: "AWS::KMS::Key"
};

// One API call, as views of the caller's data; valid for the Record() call.
struct ApiEvent {
  TimePoint time{};
  std::string_view event_source;  // "kms.amazonaws.com"
  std::string_view event_name;    // "GenerateDataKey"
  std::string_view region;
  std::string_view source_ip, user_agent;
  const Principal* principal = nullptr;
  std::string_view invoked_by;  // "s3.amazonaws.com" for forward access sessions
  // JSON text; empty renders as null (response elements of cryptographic
  // operations) or, for additionalEventData, leaves the member out.
  std::string_view request_parameters;
  std::string_view response_elements;
  std::string_view additional_event_data;
  std::string_view request_id;
  bool read_only = false;
  bool management_event = true;
  std::span<const EventResource> resources;
  std::string_view error_code, error_message;  // empty on success
  // Accounts that receive a copy; the first is the caller's. Duplicates and
  // empty entries are ignored.
  std::span<const std::string_view> recipients;
};

struct LookupQuery {
  std::optional<api::cloudtrail::LookupAttribute> attribute;  // absent: no filter
  std::optional<TimePoint> start_time, end_time;
  int max_results = 50;
  std::string next_token;
};

struct LookupPage {
  std::vector<api::cloudtrail::Event> events;  // LookupEvents "Events" entries
  std::string next_token;
};

class EventRecorder {
 public:
  explicit EventRecorder(storage::MetadataStore& store);
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  void Record(const ApiEvent& event);
  // Waits until every event recorded before the call is stored.
  void Flush();
  Result<LookupPage> Lookup(const std::string& account, const LookupQuery& query);

  // The CloudTrail record (the CloudTrailEvent JSON) of one delivered copy.
  // Field order follows AWS's records.
  static std::string Render(const ApiEvent& e, std::string_view recipient, std::string_view event_id,
                            std::string_view shared_event_id);

  static constexpr char kTable[] = "cloudtrail.events";

 private:
  // A rendered copy, ready for the store.
  struct Stored {
    std::string key, record;
  };
  void WriterLoop();

  storage::MetadataStore& store_;
  std::mutex mu_;
  std::condition_variable cv_;       // work available / stop
  std::condition_variable done_cv_;  // progress
  std::vector<Stored> queue_;
  uint64_t enqueued_ = 0, written_ = 0;
  int flush_requests_ = 0;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace ck::services::cloudtrail
