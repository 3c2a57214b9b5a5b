// The aws-chunked body decoder in its three modes (signed, signed with a
// trailer, unsigned with a trailer), with declared trailers and a declared
// decoded length chosen by the input, fed in pieces of input-chosen sizes.
#include <cstdint>

#include "auth/chunked.h"
#include "fuzz_input.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  uint8_t flags = in.Byte();
  uint8_t piece = in.Byte();
  auth::ChunkedOptions opt;
  static const auth::PayloadMode kModes[] = {auth::PayloadMode::kStreamingSigned,
                                             auth::PayloadMode::kStreamingSignedTrailer,
                                             auth::PayloadMode::kStreamingUnsignedTrailer};
  opt.mode = kModes[flags % 3];
  opt.signing.signing_key = std::string(32, 'k');
  opt.signing.amz_date_text = "20130524T000000Z";
  opt.signing.scope = "20130524/us-east-1/s3/aws4_request";
  opt.signing.seed_signature = "4f232c4386841ef735655705268965c44a0e4690baa4adea153f7db9fa80a0a9";
  if (flags & 0x04) opt.decoded_content_length = in.Byte() * 7u;
  if (flags & 0x08) opt.declared_trailers.push_back("x-amz-checksum-crc32");
  if (flags & 0x10) opt.declared_trailers.push_back("x-amz-checksum-sha256");
  if (flags & 0x20) opt.declared_trailers.push_back("x-amz-checksum-crc64nvme");
  auto decoder = auth::ChunkedDecoder::Create(opt);
  if (!decoder.ok()) return 0;
  std::string_view body = in.Rest();
  size_t step = piece == 0 ? body.size() + 1 : piece;
  uint64_t emitted = 0;
  auto emit = [&](std::string_view d) {
    emitted += d.size();
    return Status::Ok();
  };
  for (size_t pos = 0; pos < body.size(); pos += step) {
    if (!(*decoder)->Feed(body.substr(pos, step), emit).ok()) break;
  }
  if ((*decoder)->Finish().ok()) {
    if (emitted != (*decoder)->decoded_bytes()) __builtin_trap();
    (void)(*decoder)->trailers();
    (void)(*decoder)->checksums();
  }
  return 0;
}
