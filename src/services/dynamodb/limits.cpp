#include "services/dynamodb/limits.h"

#include "services/dynamodb/attribute_value.h"

namespace ck::services::ddb {

Status ExpressionTooLarge(const std::string& kind, size_t bytes) {
  return DdbValidation("Invalid " + kind + ": Expression size has exceeded the maximum allowed size; expression size: " +
                       std::to_string(bytes));
}

Status TooManyOperators(const std::string& kind, int count) {
  return DdbValidation("Invalid " + kind + ": The expression contains too many operators; operator count: " +
                       std::to_string(count));
}

Status TooManyInOperands(const std::string& kind, size_t count) {
  return DdbValidation("Invalid " + kind + ": The IN operator is provided with too many operands; number of operands: " +
                       std::to_string(count));
}

Status NestingTooDeep() {
  return DdbValidation(
      "Nesting Levels have exceeded supported limits: Attributes in the item have nested levels beyond supported "
      "limit");
}

Status CheckKeySize(const Json& value, bool partition_key) {
  std::string type = TypeOf(value);
  if (type != "S" && type != "B") return Status::Ok();
  size_t bytes = AttributeValueSize(value);
  if (partition_key && bytes > kMaxPartitionKeyBytes)
    return DdbValidation("One or more parameter values were invalid: Size of hashkey has exceeded the maximum size limit "
                         "of2048 bytes");
  if (!partition_key && bytes > kMaxSortKeyBytes)
    return DdbValidation("One or more parameter values were invalid: Aggregated size of all range keys has exceeded the "
                         "size limit of 1024 bytes");
  return Status::Ok();
}

Status PlaceholderTooLong(const std::string& map, const std::string& key) {
  return DdbValidation(map + " contains invalid key: The key exceeds the maximum length of " +
                       std::to_string(kMaxPlaceholderBytes) + " bytes; key: " + key.substr(0, 32) + "...");
}

Status SubstitutionsTooLarge(size_t bytes) {
  return DdbValidation(
      "ExpressionAttributeNames and ExpressionAttributeValues exceed the maximum allowed size of 2 MB; size: " +
      std::to_string(bytes));
}

}  // namespace ck::services::ddb
