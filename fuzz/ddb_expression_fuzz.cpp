// DynamoDB expressions: condition, key-condition, projection and update
// expressions parsed with fixed ExpressionAttributeNames/Values, then
// evaluated, projected and applied against a fixed item.
#include <cstdint>

#include "fuzz_input.h"
#include "services/dynamodb/attribute_value.h"
#include "services/dynamodb/expression.h"

using namespace ck;
using namespace ck::services::ddb;

namespace {

const Json& Names() {
  static const Json j = Json::parse(R"({"#a":"a","#b":"b","#n":"n","#m":"m","#l":"l","#s":"ss","#k":"pk",
    "#d":"a.b"})");
  return j;
}

// With an empty attribute name, which every expression is refused for.
const Json& NamesWithEmpty() {
  static const Json j = [] {
    Json n = Names();
    n["#e"] = "";
    return n;
  }();
  return j;
}

const Json& Values() {
  static const Json j = Json::parse(R"({":s":{"S":"x"},":e":{"S":""},":n":{"N":"1"},":big":{"N":"9.9E+125"},
    ":neg":{"N":"-1E-130"},":b":{"B":"AAEC"},":t":{"BOOL":true},":nul":{"NULL":true},
    ":ss":{"SS":["x","y"]},":ns":{"NS":["1","2.5"]},":bs":{"BS":["AA=="]},
    ":l":{"L":[{"S":"x"},{"N":"2"}]},":m":{"M":{"k":{"S":"v"},"l":{"L":[]}}},":ty":{"S":"N"}})");
  return j;
}

const Json& Item() {
  static const Json j = Json::parse(R"({"pk":{"S":"p"},"a":{"S":"x"},"n":{"N":"10"},"ss":{"SS":["x","z"]},
    "l":{"L":[{"N":"1"},{"S":"two"},{"M":{"q":{"NULL":true}}}]},"m":{"M":{"k":{"S":"v"},"l":{"L":[{"N":"1"}]},
    "m":{"M":{"d":{"BOOL":false}}}}},"b":{"B":"AAEC"},"ns":{"NS":["3"]}})");
  return j;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  uint8_t kind = in.Byte();
  std::string text(in.Rest());
  if (kind >= 0xfc) {
    // An empty name would write an attribute no item may have: refused
    // whatever the expression (regression-empty-attribute-name).
    // (A context reports a placeholder error once: one context per parse.)
    ExpressionContext update(NamesWithEmpty(), Values()), condition(NamesWithEmpty(), Values());
    if (update.ParseUpdate(text).ok() || condition.ParseCondition(text, "ConditionExpression").ok()) __builtin_trap();
    return 0;
  }
  ExpressionContext ctx(Names(), Values());
  switch (kind % 4) {
    case 0:
    case 1: {
      auto c = ctx.ParseCondition(text, kind % 4 ? "KeyConditionExpression" : "ConditionExpression");
      if (c.ok()) {
        (void)Evaluate(*c, Item());
        (void)Evaluate(*c, Json::object());
      }
      break;
    }
    case 2: {
      auto p = ctx.ParseProjection(text);
      if (p.ok()) (void)Project(Item(), *p);
      break;
    }
    case 3: {
      auto u = ctx.ParseUpdate(text);
      if (u.ok()) {
        Json item = Item();
        if (ApplyUpdate(*u, &item).ok()) {
          Json copy = item;
          if (!ValidateItem(&copy).ok()) __builtin_trap();  // an update leaves a valid item
          (void)ItemSize(item);
        }
        Json empty = Json::object();
        (void)ApplyUpdate(*u, &empty);
      }
      break;
    }
  }
  (void)ctx.CheckAllUsed();
  return 0;
}
