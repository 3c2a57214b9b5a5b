// Random: where identifiers draw their randomness, behind an interface so a
// test can make ids predictable (FakeRandom). Key material does not come from
// here: it is drawn from OpenSSL directly (crypto/hash.h RandomBytes).
//
// Thread safety: implementations are safe for concurrent use, except
// FakeRandom (one test thread).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace ck {

class Random {
 public:
  virtual ~Random() = default;
  virtual void Fill(void* out, size_t n) = 0;

  std::string Bytes(size_t n) {
    std::string s(n, '\0');
    Fill(s.data(), n);
    return s;
  }
};

// A deterministic sequence (splitmix64) from a seed, for tests.
class FakeRandom final : public Random {
 public:
  explicit FakeRandom(uint64_t seed = 1) : state_(seed) {}
  void Fill(void* out, size_t n) override {
    auto* p = static_cast<unsigned char*>(out);
    for (size_t i = 0; i < n; ++i) {
      if (i % 8 == 0) word_ = Next();
      p[i] = static_cast<unsigned char>(word_ >> (8 * (i % 8)));
    }
  }

 private:
  uint64_t Next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  uint64_t state_;
  uint64_t word_ = 0;
};

}  // namespace ck
