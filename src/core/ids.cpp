#include "core/ids.h"

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::ids {

namespace {

class OpenSslRandom final : public Random {
 public:
  void Fill(void* out, size_t n) override { crypto::RandomFill(out, n); }
};

}  // namespace

Random& SystemRandom() {
  static OpenSslRandom* random = new OpenSslRandom();
  return *random;
}

std::string Uuid4(Random& random) {
  std::string b = random.Bytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string h = HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

std::string IamId(std::string_view prefix, size_t length, Random& random) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(prefix);
  if (length <= out.size()) return out;
  std::string raw = random.Bytes(length - out.size());
  for (unsigned char c : raw) out.push_back(kAlphabet[c % 32]);
  return out;
}

std::string Hex(size_t bytes, Random& random, bool upper) {
  std::string h = HexEncode(random.Bytes(bytes));
  if (upper)
    for (char& c : h) c = static_cast<char>(c >= 'a' && c <= 'f' ? c - 32 : c);
  return h;
}

std::string Base64(size_t bytes, Random& random) { return Base64Encode(random.Bytes(bytes)); }

}  // namespace ck::ids
