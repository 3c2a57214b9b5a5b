// The stored form of a CloudTrail event: a compact binary record written on
// the calling thread (a few hundred bytes copied, no JSON), rendered as the
// CloudTrail JSON only when LookupEvents reads it. Rendering costs several
// times more than the KMS operation the event describes, and most events are
// never read.
//
// Layout: one version byte (0x01; stored JSON records start with '{'), the
// event time as 8 bytes of epoch microseconds, then each field as a 4-byte
// length and its bytes, in the order of EncodeEvent, and the flags byte.
// Little-endian throughout.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "core/principal.h"
#include "services/cloudtrail/event_recorder.h"

namespace ck::services::cloudtrail {

inline constexpr char kEventFormatV1 = '\x01';

// Appends the record of `e` (all but its recipients) to *out.
void EncodeEvent(const ApiEvent& e, std::string_view shared_event_id, std::string* out);

// A decoded record. `event` views `data` (which must outlive it) and the
// members below it.
struct DecodedEvent {
  DecodedEvent() = default;
  DecodedEvent(const DecodedEvent&) = delete;  // `event` points into this object
  DecodedEvent& operator=(const DecodedEvent&) = delete;

  ApiEvent event;
  Principal principal;
  std::vector<EventResource> resources;
  std::string_view shared_event_id;
};

// False when `data` is not a well-formed record of this format.
bool DecodeEvent(std::string_view data, DecodedEvent* out);

}  // namespace ck::services::cloudtrail
