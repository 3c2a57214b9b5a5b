// Throughput of object sealing at rest (docs/crypto-scheme.md): AES-256-GCM
// over 64 KiB segments, one and two layers, seal and open.
#include <benchmark/benchmark.h>

#include "crypto/hash.h"
#include "crypto/segment_cipher.h"

namespace {

using ck::crypto::kSegmentSize;

void BM_Seal(benchmark::State& state) {
  bool dsse = state.range(0);
  ck::crypto::SegmentKeys keys{ck::crypto::RandomBytes(32), dsse ? ck::crypto::RandomBytes(32) : "",
                               ck::crypto::RandomBytes(32)};
  std::string chunk(1 << 20, 'a');
  std::string out;
  out.reserve(2 << 20);
  for (auto _ : state) {
    ck::crypto::SegmentSealer sealer(keys);
    out.clear();
    sealer.Update(chunk, &out);
    sealer.Finish(&out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(state.iterations() * chunk.size());
}
BENCHMARK(BM_Seal)->Arg(0)->Arg(1);

void BM_Open(benchmark::State& state) {
  bool dsse = state.range(0);
  ck::crypto::SegmentKeys keys{ck::crypto::RandomBytes(32), dsse ? ck::crypto::RandomBytes(32) : "",
                               ck::crypto::RandomBytes(32)};
  std::string plain(16 * kSegmentSize, 'a'), blob;
  ck::crypto::SegmentSealer sealer(keys);
  sealer.Update(plain, &blob);
  sealer.Finish(&blob);
  ck::crypto::SegmentOpener opener(keys, plain.size());
  uint64_t stride = kSegmentSize + (dsse ? 32 : 16);
  for (auto _ : state) {
    for (uint64_t i = 0; i < 16; ++i) {
      auto seg = opener.Open(i, std::string_view(blob).substr(i * stride, stride));
      benchmark::DoNotOptimize(seg);
    }
  }
  state.SetBytesProcessed(state.iterations() * plain.size());
}
BENCHMARK(BM_Open)->Arg(0)->Arg(1);

}  // namespace

BENCHMARK_MAIN();
