#include "services/s3/sealed_blob.h"

#include <algorithm>
#include <cstring>

#include "base/codec.h"
#include "crypto/hash.h"
#include "crypto/segment_cipher.h"

namespace ck::services::s3 {

namespace {

crypto::SegmentKeys KeysFor(const ObjectKeys& k, bool derive, const std::string& salt) {
  crypto::SegmentKeys out;
  out.salt = salt;
  out.data_key = derive ? crypto::DeriveObjectKey(k.key, salt) : k.key;
  if (!k.outer.empty()) out.outer_key = derive ? crypto::DeriveObjectKey(k.outer, salt) : k.outer;
  return out;
}

class Sealer final : public SegmentSealer {
 public:
  explicit Sealer(ObjectKeysPtr keys)
      : salt_(crypto::RandomBytes(32)), derive_(keys->derive), sealer_(KeysFor(*keys, keys->derive, salt_)) {}

  Status Append(std::string_view plain, storage::BlobWriter& out) override {
    buf_.clear();
    sealer_.Update(plain, &buf_);
    if (buf_.empty()) return Status::Ok();
    return out.Append(buf_);
  }
  Status Finish(storage::BlobWriter& out) override {
    buf_.clear();
    sealer_.Finish(&buf_);
    return out.Append(buf_);
  }
  SegmentSealing Parameters() const override { return SegmentSealing{1, Base64Encode(salt_), derive_}; }

 private:
  std::string salt_;
  bool derive_;
  crypto::SegmentSealer sealer_;
  std::string buf_;
};

class Opener final : public SegmentOpener {
 public:
  Opener(crypto::SegmentKeys keys, uint64_t size) : size_(size), opener_(std::move(keys), size) {}

  Result<size_t> ReadAt(storage::BlobReader& blob, uint64_t offset, char* out, size_t n) override {
    size_t total = 0;
    while (total < n && offset < size_) {
      uint64_t index = offset / crypto::kSegmentSize;
      if (index != cached_index_) {
        auto span = crypto::SpanFor(size_, offset, offset, opener_.two_layers());
        sealed_.resize(span.blob_length);
        CK_ASSIGN_OR_RETURN(size_t got, blob.ReadAt(span.blob_offset, sealed_.data(), sealed_.size()));
        // A short read leaves a short segment, which fails its size/tag check.
        Status opened = opener_.OpenInto(index, std::string_view(sealed_.data(), got), &plain_, &scratch_);
        if (!opened.ok()) {
          cached_index_ = UINT64_MAX;
          return opened;
        }
        cached_index_ = index;
      }
      uint64_t in_seg = offset - index * crypto::kSegmentSize;
      size_t take = static_cast<size_t>(std::min<uint64_t>(n - total, plain_.size() - in_seg));
      std::memcpy(out + total, plain_.data() + in_seg, take);
      total += take;
      offset += take;
    }
    return total;
  }

 private:
  uint64_t size_;
  crypto::SegmentOpener opener_;
  uint64_t cached_index_ = UINT64_MAX;
  std::string sealed_, plain_, scratch_;
};

}  // namespace

std::unique_ptr<SegmentSealer> MakeSealer(ObjectKeysPtr keys) {
  if (!keys) return nullptr;
  return std::make_unique<Sealer>(std::move(keys));
}

Result<std::unique_ptr<SegmentOpener>> MakeOpener(const ObjectKeysPtr& keys,
                                                  const std::optional<SegmentSealing>& sealing,
                                                  uint64_t plaintext_size) {
  if (!sealing) {
    if (keys) return DataLoss("object data is not sealed but its record says it is encrypted");
    return std::unique_ptr<SegmentOpener>();
  }
  if (!keys) return DataLoss("object data is sealed but no keys were supplied");
  if (sealing->v != 1) return DataLoss("unknown sealing format version");
  auto salt = Base64Decode(sealing->s);
  if (!salt || salt->size() != 32) return DataLoss("sealing parameters are corrupt");
  return std::unique_ptr<SegmentOpener>(std::make_unique<Opener>(KeysFor(*keys, sealing->d, *salt), plaintext_size));
}

}  // namespace ck::services::s3
