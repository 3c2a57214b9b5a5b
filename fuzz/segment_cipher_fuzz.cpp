// Sealed object segments (crypto/segment_cipher): opening arbitrary bytes as
// any segment of an object of input-chosen size (one or two layers), span
// arithmetic, key unwrapping, and the seal/open round trip of the input.
#include <cstdint>

#include "crypto/segment_cipher.h"
#include "fuzz_input.h"

using namespace ck;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  fuzz::Input in(data, size);
  uint8_t mode = in.Byte();
  crypto::SegmentKeys keys;
  keys.data_key = std::string(32, '\x01');
  keys.salt = std::string(32, '\x02');
  if (mode & 2) keys.outer_key = std::string(32, '\x03');
  uint64_t claimed = 0;
  for (int i = 0; i < 5; ++i) claimed = claimed * 256 + in.Byte();
  std::string_view rest = in.Rest();

  if (mode & 1) {
    // Round trip: seal the input in pieces, then open every segment.
    crypto::SegmentSealer sealer(keys);
    std::string sealed;
    size_t step = (claimed % 70000) + 1;
    for (size_t pos = 0; pos < rest.size(); pos += step) sealer.Update(rest.substr(pos, step), &sealed);
    sealer.Finish(&sealed);
    if (sealed.size() != crypto::SealedSize(rest.size(), mode & 2)) __builtin_trap();
    crypto::SegmentOpener opener(keys, rest.size());
    std::string plain, out, scratch;
    const uint64_t seg = crypto::kSegmentSize + crypto::kSegmentTagSize * ((mode & 2) ? 2 : 1);
    for (uint64_t i = 0; i < opener.segment_count(); ++i) {
      std::string_view piece = std::string_view(sealed).substr(i * seg, seg);
      if (!opener.OpenInto(i, piece, &out, &scratch).ok()) __builtin_trap();
      plain += out;
    }
    if (plain != rest) __builtin_trap();
    return 0;
  }
  crypto::SegmentOpener opener(keys, claimed);
  uint64_t index = opener.segment_count() ? claimed % (opener.segment_count() + 1) : 0;
  (void)opener.Open(index, rest);
  if (claimed > 0) {
    uint64_t first = mode % claimed, last = claimed - 1 - (mode % claimed) / 2;
    if (first <= last) (void)crypto::SpanFor(claimed, first, last, mode & 2);
  }
  (void)crypto::UnwrapKey(keys.data_key, "purpose", rest);
  return 0;
}
