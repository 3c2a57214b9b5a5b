// DynamoDB's request limits, as the developer guide documents them
// ("Service, account, and table quotas": expression parameters, nested
// attribute depth, item size), with the errors AWS answers when one is
// exceeded. Every limit is checked before the work it bounds: expression
// length before lexing, operator counts while parsing (so parsing and the
// recursion over parsed trees stay bounded), nesting depth before a value is
// walked any deeper.
//
// Message texts: the nesting, expression-size, operator-count and IN-operand
// messages are AWS's as recorded against real DynamoDB; the placeholder-length
// and substitution-size texts are not known and are marked so in the tests.
//
// Thread safety: constants and pure functions.
#pragma once

#include <cstddef>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace ck::services::ddb {

using Json = nlohmann::json;

// Any expression string (Condition/KeyCondition/Filter/Projection/Update),
// counted in bytes as sent, before placeholders are substituted.
inline constexpr size_t kMaxExpressionBytes = 4096;
// One ExpressionAttributeNames or ExpressionAttributeValues placeholder ("#n", ":v").
inline constexpr size_t kMaxPlaceholderBytes = 255;
// All ExpressionAttributeNames and ExpressionAttributeValues together.
inline constexpr size_t kMaxSubstitutionBytes = 2 * 1024 * 1024;
// Operators and functions in one expression (documented for UpdateExpression;
// DynamoDB applies it to condition and filter expressions too).
inline constexpr int kMaxExpressionOperators = 300;
// Operands of one IN comparator (the values in its list).
inline constexpr size_t kMaxInOperands = 100;
// Attribute values nest up to 32 levels, the attribute itself being level 1.
inline constexpr int kMaxNestingLevels = 32;
// Key attribute values (S in UTF-8 bytes, B in raw bytes; N is not limited).
inline constexpr size_t kMaxPartitionKeyBytes = 2048;
inline constexpr size_t kMaxSortKeyBytes = 1024;

// "Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: 4109"
Status ExpressionTooLarge(const std::string& kind, size_t bytes);
// "Invalid FilterExpression: The expression contains too many operators; operator count: 301"
Status TooManyOperators(const std::string& kind, int count);
// "Invalid FilterExpression: The IN operator is provided with too many operands; number of operands: 163"
Status TooManyInOperands(const std::string& kind, size_t count);
// "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported limit"
Status NestingTooDeep();
// A key attribute value over its limit, for writes and reads alike:
// "One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit of2048 bytes"
// (sic, no space) / "... Aggregated size of all range keys has exceeded the size limit of 1024 bytes".
Status CheckKeySize(const Json& value, bool partition_key);
// A placeholder key longer than kMaxPlaceholderBytes (`map` names the parameter).
Status PlaceholderTooLong(const std::string& map, const std::string& key);
// ExpressionAttributeNames and ExpressionAttributeValues over kMaxSubstitutionBytes.
Status SubstitutionsTooLarge(size_t bytes);

}  // namespace ck::services::ddb
