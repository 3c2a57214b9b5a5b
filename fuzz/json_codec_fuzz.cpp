// The awsJson protocol decoder (KMS, DynamoDB, Secrets Manager, CloudTrail)
// with real model operations: parse, type-check and validate a request body,
// then encode the decoded document through the operation's output shape.
#include <cstdint>

#include "fuzz_input.h"
#include "wire/json_codec.h"
#include "wire_ops.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto ops = fuzz::OperationsOf(wire::Protocol::kJson);
  fuzz::Input in(data, size);
  unsigned pick = in.Byte() * 256u + in.Byte();
  const auto& [model, op] = ops[pick % ops.size()];
  auto doc = wire::DecodeJsonRequest(*model, *op, in.Rest());
  if (doc.ok()) (void)wire::EncodeJsonResponse(*model, *op, *doc);
  return 0;
}
