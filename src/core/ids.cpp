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

void AppendUuid4(std::string* out, Random& random) {
  unsigned char b[16];
  random.Fill(b, sizeof b);
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  static constexpr char kHex[] = "0123456789abcdef";
  char text[36];
  size_t o = 0;
  for (int i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) text[o++] = '-';
    text[o++] = kHex[b[i] >> 4];
    text[o++] = kHex[b[i] & 15];
  }
  out->append(text, sizeof text);
}

std::string Uuid4(Random& random) {
  std::string out;
  out.reserve(36);
  AppendUuid4(&out, random);
  return out;
}

std::string IamId(std::string_view prefix, size_t length, Random& random) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::string out(prefix);
  if (length <= out.size()) return out;
  std::string raw = random.Bytes(length - out.size());
  for (unsigned char c : raw) out.push_back(kAlphabet[c % 32]);
  return out;
}

std::string Alphanumeric(size_t length, Random& random) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string out = random.Bytes(length);
  for (char& c : out) c = kAlphabet[static_cast<unsigned char>(c) % 62];
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
