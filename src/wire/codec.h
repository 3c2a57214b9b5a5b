// The wire layer in one include: embedded service models, the three
// protocols' codecs and the per-protocol error envelopes.
//
// Thread safety: see the individual headers (all stateless or immutable).
#pragma once

#include "wire/errors.h"
#include "wire/json_codec.h"
#include "wire/model.h"
#include "wire/query_codec.h"
#include "wire/rest_xml_codec.h"
