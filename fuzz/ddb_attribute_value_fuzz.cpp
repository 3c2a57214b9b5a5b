// DynamoDB AttributeValues: a JSON item validated and normalized as PutItem
// does, then sized, compared and keyed; documents of any shape or depth.
#include <cstdint>

#include "fuzz_input.h"
#include "services/dynamodb/attribute_value.h"
#include "wire/json_limits.h"

using namespace ck;
using namespace ck::services::ddb;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  // As the wire decoder does: depth-checked before nlohmann parses it.
  if (!wire::CheckJsonLimits(text).ok()) return 0;
  Json item = Json::parse(text, nullptr, false);
  if (item.is_discarded()) return 0;
  Json original = item;
  if (!ValidateItem(&item).ok()) return 0;
  (void)ItemSize(item);
  for (auto it = item.begin(); it != item.end(); ++it) {
    const Json& v = it.value();
    if (!Equal(v, v)) __builtin_trap();  // a valid value equals itself
    (void)SizeOf(v);
    (void)CompareScalars(v, v);
    std::string t = TypeOf(v);
    if (t == "S" || t == "N" || t == "B") (void)KeyBytes(v);
    Json again = v;
    if (!ValidateAndNormalize(&again).ok() || again != v) __builtin_trap();  // normalizing is idempotent
  }
  (void)original;
  return 0;
}
