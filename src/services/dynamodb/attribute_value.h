// DynamoDB AttributeValues as the JSON wire form ({"S":"x"}, {"N":"1"},
// {"B":"<base64>"}, {"SS":[...]}, {"L":[...]}, {"M":{...}}, ...): validation
// with DynamoDB's messages, N normalization (Decimal), and the equality,
// ordering and size rules expressions and key schemas use. Items are JSON
// objects of attribute name → AttributeValue.
//
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ck::services::ddb {

using Json = nlohmann::json;

Status DdbValidation(const std::string& message);

// "S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M", or "" when the
// value names no (or more than one) type.
std::string TypeOf(const Json& av);

// Typed access to a value whose type the caller knows (TypeOf): these and
// validation are the only code that reads the type tags.
// The value under the type tag (a string, an array for sets and L, an object for M).
const Json& ContentOf(const Json& av);
Json& ContentOf(Json& av);
// The text of an S or N (a B's base64 text).
const std::string& TextOf(const Json& av);
// A B's bytes, decoded; an S's text.
std::string BytesOf(const Json& av);
// The elements of an L, the members of an M: null when `av` is not one.
const Json* ListOf(const Json& av);
Json* ListOf(Json* av);
const Json* MapOf(const Json& av);
Json* MapOf(Json* av);
// New values.
Json NumberValue(std::string text);
Json ListValue(Json elements = Json::array());
Json MapValue(Json members = Json::object());

// Validates (recursively) and normalizes numbers in place. Values nested
// deeper than DynamoDB's 32 levels are refused (limits.h) before they are
// walked, so later recursion over a validated value is bounded.
Status ValidateAndNormalize(Json* av);
Status ValidateItem(Json* item);

// Deep equality with DynamoDB semantics (numbers numerically, sets unordered).
bool Equal(const Json& a, const Json& b);
// Ordering of two scalars of the same type S, N or B; nullopt otherwise.
std::optional<int> CompareScalars(const Json& a, const Json& b);
// size(): string length in bytes, binary length, set/list/map element count;
// nullopt for N, BOOL, NULL.
std::optional<size_t> SizeOf(const Json& av);
// Order-preserving bytes of a key attribute value (S, N or B).
std::string KeyBytes(const Json& av);
// Size in bytes as DynamoDB counts it for the 400 KB item limit (developer
// guide, "DynamoDB item sizes and formats"): UTF-8 bytes of strings and names,
// raw bytes of binaries, one byte per two significant digits of a number plus
// one, one byte for BOOL and NULL, 3 bytes for a list or map plus one per
// element. AttributeValueSize is one value's share, without its name.
size_t AttributeValueSize(const Json& av);
size_t ItemSize(const Json& item);

}  // namespace ck::services::ddb
