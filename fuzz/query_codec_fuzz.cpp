// The query protocol (STS, IAM): a form body parsed, decoded for a real model
// operation (the one its Action names, or one the input picks), decoded into
// the operation's typed input as the services do, and the decoded document
// encoded as that operation's XML response.
#include <cstdint>

#include "fuzz_input.h"
#include "typed_ops.h"
#include "wire/query_codec.h"
#include "wire_ops.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto ops = fuzz::OperationsOf(wire::Protocol::kQuery);
  fuzz::Input in(data, size);
  unsigned pick = in.Byte() * 256u + in.Byte();
  auto form = wire::ParseForm(in.Rest());
  if (!form) return 0;
  // The operation Action names (in the picked service when both have it).
  fuzz::ModelOp chosen = ops[pick % ops.size()];
  const fuzz::ModelOp* named = nullptr;
  for (const auto& [k, v] : *form)
    if (k == "Action")
      for (const auto& mo : ops)
        if (mo.second->name == v && (!named || mo.first == chosen.first)) named = &mo;
  if (named) chosen = *named;
  auto doc = wire::DecodeQueryRequest(*chosen.first, *chosen.second, *form);
  if (!doc.ok()) return 0;
  fuzz::DecodeTyped(chosen.first->service(), chosen.second->name, *doc, /*strict=*/true);
  (void)wire::EncodeQueryResponse(*chosen.first, *chosen.second, *doc, "req-1");
  return 0;
}
