// The rest-xml protocol (S3) with real model operations: a request head
// (method, target, headers) and an XML body decoded for an operation the input
// picks, decoded into the operation's typed input as S3 does (leniently),
// then the decoded document encoded as that operation's response.
#include <cstdint>

#include "fuzz_input.h"
#include "http/message.h"
#include "typed_ops.h"
#include "wire/rest_xml_codec.h"
#include "wire_ops.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const auto ops = fuzz::OperationsOf(wire::Protocol::kRestXml);
  fuzz::Input in(data, size);
  unsigned pick = in.Byte() * 256u + in.Byte();
  const auto& [model, op] = ops[pick % ops.size()];
  http::RequestHead head;
  if (!fuzz::ReadHead(in, &head)) return 0;
  std::map<std::string, std::string> labels = {{"Bucket", "bucket"}, {"Key", "key/x"}};
  auto doc = wire::DecodeRestXmlRequest(*model, *op, head, labels, in.Rest());
  if (doc.ok()) {
    fuzz::DecodeTyped(model->service(), op->name, *doc, /*strict=*/false);
    http::Response r;
    wire::EncodeRestXmlResponse(*model, *op, *doc, &r);
  }
  // Routing the head as the S3 front end does.
  (void)model->MatchRestOperation(head.method, head.raw_path, head.query, head.headers);
  return 0;
}
