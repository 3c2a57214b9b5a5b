// Identifiers as AWS spells them, from an injectable Random (base/random.h).
// One generator per kind of id, so every UUID has its version and variant
// bits and every IAM id its alphabet.
//
// Thread safety: as safe as the Random passed in (SystemRandom() is).
#pragma once

#include <string>
#include <string_view>

#include "base/random.h"

namespace ck::ids {

// The process-wide random source for ids: OpenSSL's RAND_bytes.
Random& SystemRandom();

// RFC 4122 version 4: "3f2b8c1e-9d4a-4e7b-a1c2-0d9e8f7a6b5c" (lower case,
// version nibble 4, variant bits 10).
std::string Uuid4(Random& random = SystemRandom());
// The same, appended to *out without a temporary (event keys on hot paths).
void AppendUuid4(std::string* out, Random& random = SystemRandom());

// IAM unique ids and access key ids: prefix + characters of [A-Z2-7] up to
// `length` in all ("AIDA" users, "AROA" roles, "ANPA" policies, "AKIA"/"ASIA"
// keys: 20 or 21 characters as AWS issues them).
std::string IamId(std::string_view prefix, size_t length, Random& random = SystemRandom());

// `length` characters of [A-Za-z0-9] (the suffix of a Secrets Manager ARN).
std::string Alphanumeric(size_t length, Random& random = SystemRandom());

// `bytes` random bytes as hex (lower case unless `upper`).
std::string Hex(size_t bytes, Random& random = SystemRandom(), bool upper = false);

// `bytes` random bytes as base64.
std::string Base64(size_t bytes, Random& random = SystemRandom());

}  // namespace ck::ids
