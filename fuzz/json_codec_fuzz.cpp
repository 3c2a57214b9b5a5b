// The awsJson protocol decoder (KMS, DynamoDB, Secrets Manager, CloudTrail)
// with real model operations: parse, type-check and validate a request body,
// then decode the document into the operation's typed input as the services
// do, and encode it through the operation's output shape.
#include <cstdint>

#include "fuzz_input.h"
#include "typed_ops.h"
#include "wire/json_codec.h"
#include "wire_ops.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto ops = fuzz::OperationsOf(wire::Protocol::kJson);
  fuzz::Input in(data, size);
  unsigned pick = in.Byte() * 256u + in.Byte();
  const auto& [model, op] = ops[pick % ops.size()];
  auto doc = wire::DecodeJsonRequest(*model, *op, in.Rest());
  if (!doc.ok()) return 0;
  fuzz::DecodeTyped(model->service(), op->name, *doc, /*strict=*/true);
  (void)wire::EncodeJsonResponse(*model, *op, *doc);
  return 0;
}
