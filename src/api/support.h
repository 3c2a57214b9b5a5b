// The vocabulary of the generated API shapes (generated/api/<service>.h).
//
// scripts/gen_api.py turns every structure of the pinned AWS service models
// (models/*.json) into a C++ struct: required members are plain values, the
// others std::optional; lists are std::vector, maps std::map keyed by string;
// blobs are Bytes, timestamps TimePoint, enums EnumValue<E> (base/fields.h).
// The structs carry no behaviour: a server decodes its input into one and
// encodes its output from one; a client does the reverse. Both go through the
// protocol-neutral Document the wire codecs read and write (see
// src/wire/json_codec.h for its conventions: blobs base64, timestamps epoch
// seconds).
//
// Thread safety: value types; no shared state.
#pragma once

#include "base/fields.h"

namespace ck::api {

using ::ck::Bytes;
using ::ck::DecodeOptions;
using ::ck::Document;
using ::ck::EnumValue;

// Input or output of an operation the model gives none.
struct Empty {
  bool operator==(const Empty&) const = default;
};
CK_DECLARE_FIELDS(Empty);

}  // namespace ck::api
