#include "crypto/checksum.h"

#include <array>
#include <bit>
#include <cstring>

#include "base/codec.h"
#include "crypto/hash.h"

#if defined(__x86_64__)
#include <nmmintrin.h>
#endif

namespace ck::crypto {

namespace {

static_assert(std::endian::native == std::endian::little, "slicing-by-8 assumes little-endian loads");

constexpr uint32_t kCrc32cPoly = 0x82F63B78u;                 // Castagnoli, reflected
constexpr uint64_t kCrc64NvmePoly = 0x9A6C9329AC4BC9B5ull;    // 0xAD93D23594C93659 reflected
constexpr uint32_t kCrc32Poly = 0xEDB88320u;                  // zlib, reflected

template <typename T>
using SliceTables = std::array<std::array<T, 256>, 8>;

template <typename T>
constexpr SliceTables<T> MakeTables(T poly) {
  SliceTables<T> t{};
  for (unsigned i = 0; i < 256; ++i) {
    T crc = i;
    for (int k = 0; k < 8; ++k) crc = (crc & 1) ? (crc >> 1) ^ poly : crc >> 1;
    t[0][i] = crc;
  }
  for (int k = 1; k < 8; ++k)
    for (unsigned i = 0; i < 256; ++i) t[k][i] = (t[k - 1][i] >> 8) ^ t[0][t[k - 1][i] & 0xff];
  return t;
}

constexpr auto kCrc32cTables = MakeTables<uint32_t>(kCrc32cPoly);
constexpr auto kCrc32Tables = MakeTables<uint32_t>(kCrc32Poly);
constexpr auto kCrc64Tables = MakeTables<uint64_t>(kCrc64NvmePoly);

// Register-level update (no pre/post inversion) for a reflected CRC.
template <typename T>
T SliceBy8(T crc, const SliceTables<T>& t, const unsigned char* p, size_t n) {
  while (n && (reinterpret_cast<uintptr_t>(p) & 7)) {
    crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
    --n;
  }
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    v ^= static_cast<uint64_t>(crc);
    crc = static_cast<T>(t[7][v & 0xff] ^ t[6][(v >> 8) & 0xff] ^ t[5][(v >> 16) & 0xff] ^ t[4][(v >> 24) & 0xff] ^
                         t[3][(v >> 32) & 0xff] ^ t[2][(v >> 40) & 0xff] ^ t[1][(v >> 48) & 0xff] ^ t[0][v >> 56]);
    p += 8;
    n -= 8;
  }
  while (n--) crc = t[0][(crc ^ *p++) & 0xff] ^ (crc >> 8);
  return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2"))) uint32_t Crc32cHw(uint32_t crc, const unsigned char* p, size_t n) {
  while (n && (reinterpret_cast<uintptr_t>(p) & 7)) {
    crc = _mm_crc32_u8(crc, *p++);
    --n;
  }
  uint64_t c = crc;
  // Three independent streams would hide the instruction's latency, but one
  // stream already runs at several GB/s, well past disk and socket speed.
  while (n >= 8) {
    uint64_t v;
    std::memcpy(&v, p, 8);
    c = _mm_crc32_u64(c, v);
    p += 8;
    n -= 8;
  }
  crc = static_cast<uint32_t>(c);
  while (n--) crc = _mm_crc32_u8(crc, *p++);
  return crc;
}

bool DetectSse42() {
  __builtin_cpu_init();
  return __builtin_cpu_supports("sse4.2");
}
const bool kHaveSse42 = DetectSse42();
#else
const bool kHaveSse42 = false;
#endif

// GF(2) arithmetic modulo a reflected polynomial, after zlib's crc32_combine:
// crc(A||B) = crc(A) * x^(8|B|) mod P  xor  crc(B), valid for CRCs whose init
// and xorout are both all ones (all three here).
template <typename T>
T MultModP(T a, T b, T poly) {
  constexpr T kTop = T(1) << (sizeof(T) * 8 - 1);
  T m = kTop, p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) == 0) break;
    }
    m >>= 1;
    b = (b & 1) ? (b >> 1) ^ poly : b >> 1;
  }
  return p;
}

template <typename T>
T X8nModP(uint64_t n, T poly) {
  constexpr T kTop = T(1) << (sizeof(T) * 8 - 1);
  // power = x^(2^k) for k starting at 3 (x^8 = one byte).
  T power = kTop >> 1;  // x^1
  for (int i = 0; i < 3; ++i) power = MultModP(power, power, poly);
  T p = kTop;  // x^0
  while (n) {
    if (n & 1) p = MultModP(power, p, poly);
    n >>= 1;
    power = MultModP(power, power, poly);
  }
  return p;
}

template <typename T>
T CombineGeneric(T a, T b, uint64_t len_b, T poly) {
  if (len_b == 0) return a;
  return MultModP(X8nModP(len_b, poly), a, poly) ^ b;
}

template <typename T>
std::string BigEndian(T v) {
  std::string out(sizeof(T), '\0');
  for (size_t i = 0; i < sizeof(T); ++i) out[i] = static_cast<char>(v >> (8 * (sizeof(T) - 1 - i)));
  return out;
}

template <typename T>
T FromBigEndian(std::string_view s) {
  T v = 0;
  for (char c : s) v = (v << 8) | static_cast<unsigned char>(c);
  return v;
}

}  // namespace

std::optional<ChecksumAlgorithm> ParseChecksumAlgorithm(std::string_view name) {
  std::string n = ToLower(name);
  std::string_view v = n;
  if (StartsWith(v, "x-amz-checksum-")) v.remove_prefix(15);
  if (v == "crc32") return ChecksumAlgorithm::kCrc32;
  if (v == "crc32c") return ChecksumAlgorithm::kCrc32c;
  if (v == "crc64nvme") return ChecksumAlgorithm::kCrc64Nvme;
  if (v == "sha1") return ChecksumAlgorithm::kSha1;
  if (v == "sha256") return ChecksumAlgorithm::kSha256;
  return std::nullopt;
}

const char* ChecksumAlgorithmName(ChecksumAlgorithm alg) {
  switch (alg) {
    case ChecksumAlgorithm::kCrc32: return "CRC32";
    case ChecksumAlgorithm::kCrc32c: return "CRC32C";
    case ChecksumAlgorithm::kCrc64Nvme: return "CRC64NVME";
    case ChecksumAlgorithm::kSha1: return "SHA1";
    case ChecksumAlgorithm::kSha256: return "SHA256";
  }
  return "CRC32";
}

std::string ChecksumHeaderName(ChecksumAlgorithm alg) {
  return "x-amz-checksum-" + ToLower(ChecksumAlgorithmName(alg));
}

size_t ChecksumDigestSize(ChecksumAlgorithm alg) {
  switch (alg) {
    case ChecksumAlgorithm::kCrc32:
    case ChecksumAlgorithm::kCrc32c: return 4;
    case ChecksumAlgorithm::kCrc64Nvme: return 8;
    case ChecksumAlgorithm::kSha1: return 20;
    case ChecksumAlgorithm::kSha256: return 32;
  }
  return 0;
}

bool IsCrc(ChecksumAlgorithm alg) {
  return alg == ChecksumAlgorithm::kCrc32 || alg == ChecksumAlgorithm::kCrc32c ||
         alg == ChecksumAlgorithm::kCrc64Nvme;
}

uint32_t Crc32(uint32_t crc, std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  return ~SliceBy8<uint32_t>(~crc, kCrc32Tables, p, data.size());
}

uint32_t Crc32c(uint32_t crc, std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  crc = ~crc;
#if defined(__x86_64__)
  if (kHaveSse42) return ~Crc32cHw(crc, p, data.size());
#endif
  return ~SliceBy8<uint32_t>(crc, kCrc32cTables, p, data.size());
}

uint64_t Crc64Nvme(uint64_t crc, std::string_view data) {
  const auto* p = reinterpret_cast<const unsigned char*>(data.data());
  return ~SliceBy8<uint64_t>(~crc, kCrc64Tables, p, data.size());
}

uint32_t Crc32Combine(uint32_t a, uint32_t b, uint64_t len_b) { return CombineGeneric(a, b, len_b, kCrc32Poly); }
uint32_t Crc32cCombine(uint32_t a, uint32_t b, uint64_t len_b) {
  return CombineGeneric(a, b, len_b, kCrc32cPoly);
}
uint64_t Crc64NvmeCombine(uint64_t a, uint64_t b, uint64_t len_b) {
  return CombineGeneric(a, b, len_b, kCrc64NvmePoly);
}

std::optional<std::string> CombineCrc(ChecksumAlgorithm alg, std::string_view raw_a, std::string_view raw_b,
                                      uint64_t len_b) {
  if (!IsCrc(alg) || raw_a.size() != ChecksumDigestSize(alg) || raw_b.size() != ChecksumDigestSize(alg))
    return std::nullopt;
  switch (alg) {
    case ChecksumAlgorithm::kCrc32:
      return BigEndian(Crc32Combine(FromBigEndian<uint32_t>(raw_a), FromBigEndian<uint32_t>(raw_b), len_b));
    case ChecksumAlgorithm::kCrc32c:
      return BigEndian(Crc32cCombine(FromBigEndian<uint32_t>(raw_a), FromBigEndian<uint32_t>(raw_b), len_b));
    case ChecksumAlgorithm::kCrc64Nvme:
      return BigEndian(Crc64NvmeCombine(FromBigEndian<uint64_t>(raw_a), FromBigEndian<uint64_t>(raw_b), len_b));
    default: return std::nullopt;
  }
}

bool Crc32cIsHardwareAccelerated() { return kHaveSse42; }

struct Checksummer::ShaState {
  explicit ShaState(DigestAlgorithm a) : hasher(a) {}
  Hasher hasher;
};

Checksummer::Checksummer(ChecksumAlgorithm alg) : alg_(alg) {
  if (alg == ChecksumAlgorithm::kSha1) sha_ = std::make_unique<ShaState>(DigestAlgorithm::kSha1);
  if (alg == ChecksumAlgorithm::kSha256) sha_ = std::make_unique<ShaState>(DigestAlgorithm::kSha256);
}
Checksummer::~Checksummer() = default;
Checksummer::Checksummer(Checksummer&&) noexcept = default;
Checksummer& Checksummer::operator=(Checksummer&&) noexcept = default;

void Checksummer::Update(std::string_view data) {
  switch (alg_) {
    case ChecksumAlgorithm::kCrc32: crc_ = Crc32(static_cast<uint32_t>(crc_), data); break;
    case ChecksumAlgorithm::kCrc32c: crc_ = Crc32c(static_cast<uint32_t>(crc_), data); break;
    case ChecksumAlgorithm::kCrc64Nvme: crc_ = Crc64Nvme(crc_, data); break;
    default: sha_->hasher.Update(data); break;
  }
}

std::string Checksummer::FinalRaw() {
  switch (alg_) {
    case ChecksumAlgorithm::kCrc32:
    case ChecksumAlgorithm::kCrc32c: return BigEndian(static_cast<uint32_t>(crc_));
    case ChecksumAlgorithm::kCrc64Nvme: return BigEndian(crc_);
    default: return sha_->hasher.Final();
  }
}

std::string Checksummer::FinalBase64() { return Base64Encode(FinalRaw()); }

std::string ComputeChecksumBase64(ChecksumAlgorithm alg, std::string_view data) {
  Checksummer c(alg);
  c.Update(data);
  return c.FinalBase64();
}

}  // namespace ck::crypto
