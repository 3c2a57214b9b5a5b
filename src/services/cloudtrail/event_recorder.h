// EventRecorder: CloudTrail-style management events for any service.
// Services describe a call (ApiEvent); the recorder renders the CloudTrail
// record once per recipient account (the caller's and, for cross-account use
// that was not denied, the resource owner's, with a shared sharedEventID) and
// stores it where LookupEvents finds it newest-first:
//   table "cloudtrail.events", key ACCOUNT "/" hex(2^64-1 - epoch µs) "/" EVENTID,
//   value the CloudTrail record; Lookup derives the LookupEvents entry.
// Record() only queues: a writer thread renders and writes in batches, so the
// cost on the calling thread is a move into a queue. Lookup() flushes first, so
// a caller always sees its own earlier events.
//
// Thread safety: all methods are safe for concurrent use.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "base/status.h"
#include "core/principal.h"
#include "storage/metadata_store.h"

namespace ck::services::cloudtrail {

struct EventResource {
  std::string arn, account, type;  // type: "AWS::KMS::Key"
};

struct ApiEvent {
  TimePoint time{};
  std::string_view event_source;  // "kms.amazonaws.com" (a literal)
  std::string event_name;    // "GenerateDataKey"
  std::string region;
  std::string source_ip, user_agent;
  Principal principal;
  std::string invoked_by;  // "s3.amazonaws.com" for forward access sessions
  // JSON text; empty renders as null (response elements of cryptographic
  // operations) or, for additionalEventData, leaves the member out.
  std::string request_parameters;
  std::string response_elements;
  std::string additional_event_data;
  std::string request_id;
  bool read_only = false;
  bool management_event = true;
  std::vector<EventResource> resources;
  std::string error_code, error_message;  // empty on success
  // Accounts that receive a copy; the first is the caller's. Duplicates are ignored.
  std::vector<std::string> recipients;
};

struct LookupQuery {
  std::string attribute_key, attribute_value;  // empty: no filter
  std::optional<TimePoint> start_time, end_time;
  int max_results = 50;
  std::string next_token;
};

struct LookupPage {
  std::vector<nlohmann::json> events;  // LookupEvents "Events" entries
  std::string next_token;
};

class EventRecorder {
 public:
  explicit EventRecorder(storage::MetadataStore& store);
  ~EventRecorder();
  EventRecorder(const EventRecorder&) = delete;
  EventRecorder& operator=(const EventRecorder&) = delete;

  void Record(ApiEvent event);
  // Waits until every event recorded before the call is stored.
  void Flush();
  Result<LookupPage> Lookup(const std::string& account, const LookupQuery& query);

  // The CloudTrail record (the CloudTrailEvent JSON) of one delivered copy.
  static std::string Render(const ApiEvent& e, const std::string& recipient, const std::string& event_id,
                               const std::string& shared_event_id);

  static constexpr char kTable[] = "cloudtrail.events";

 private:
  void WriterLoop();
  Status Write(std::vector<ApiEvent>& batch);

  storage::MetadataStore& store_;
  std::mutex mu_;
  std::condition_variable cv_;       // work available / stop
  std::condition_variable done_cv_;  // progress
  std::deque<ApiEvent> queue_;
  uint64_t enqueued_ = 0, written_ = 0;
  int flush_requests_ = 0;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace ck::services::cloudtrail
