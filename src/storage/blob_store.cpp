#include "storage/blob_store.h"

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::storage {

namespace {
bool AllHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}
}  // namespace

bool IsHexBlobId(std::string_view id) { return id.size() == 32 && AllHex(id); }

bool IsSmallBlobId(std::string_view id) { return id.size() == 32 && id[0] == 's' && AllHex(id.substr(1)); }

bool IsValidBlobId(std::string_view id) { return IsHexBlobId(id) || IsSmallBlobId(id); }

std::string NewBlobId() { return HexEncode(crypto::RandomBytes(16)); }

Result<std::string> ReadAll(BlobReader& reader) {
  std::string out(reader.size(), '\0');
  size_t got = 0;
  while (got < out.size()) {
    CK_ASSIGN_OR_RETURN(size_t n, reader.ReadAt(got, out.data() + got, out.size() - got));
    if (n == 0) break;
    got += n;
  }
  if (got != out.size()) return DataLoss("blob shorter than its size");
  return out;
}

}  // namespace ck::storage
