#include "services/s3/object_io.h"

#include <algorithm>

#include "base/codec.h"
#include "services/s3/sealed_blob.h"

namespace ck::services::s3 {

Result<std::unique_ptr<ObjectWriter>> ObjectWriter::Create(storage::BlobStore& blobs,
                                                           std::optional<crypto::ChecksumAlgorithm> checksum,
                                                           std::unique_ptr<SegmentSealer> sealer, bool crc64nvme,
                                                           bool md5) {
  std::unique_ptr<ObjectWriter> w(new ObjectWriter());
  if (md5) w->md5_.emplace(crypto::DigestAlgorithm::kMd5);
  CK_ASSIGN_OR_RETURN(w->blob_, blobs.NewWriter());
  w->sealer_ = std::move(sealer);
  if (checksum) w->checksum_.emplace(*checksum);
  if (crc64nvme) w->crc64_.emplace(crypto::ChecksumAlgorithm::kCrc64Nvme);
  return w;
}

ObjectWriter::~ObjectWriter() { Abort(); }

void ObjectWriter::Abort() {
  if (!done_ && blob_) blob_->Abort();
  done_ = true;
}

Status ObjectWriter::Append(std::string_view data) {
  if (done_) return Internal("object writer already finished");
  if (md5_) md5_->Update(data);
  if (checksum_) checksum_->Update(data);
  if (crc64_) crc64_->Update(data);
  size_ += data.size();
  if (sealer_) return sealer_->Append(data, *blob_);
  return blob_->Append(data);
}

Result<WrittenSegment> ObjectWriter::Commit(bool staged) {
  if (done_) return Internal("object writer already finished");
  if (sealer_) CK_RETURN_IF_ERROR(sealer_->Finish(*blob_));
  WrittenSegment out;
  if (md5_) out.md5_raw = md5_->Final();
  if (checksum_) {
    out.checksum_raw = checksum_->FinalRaw();
    out.segment.checksum = Base64Encode(out.checksum_raw);
  }
  if (crc64_) out.segment.crc64nvme = crc64_->FinalBase64();
  if (staged) {
    CK_ASSIGN_OR_RETURN(out.segment.blob, blob_->CommitInto(out.blob_rows));
  } else {
    CK_ASSIGN_OR_RETURN(out.segment.blob, blob_->Commit());
  }
  done_ = true;
  out.segment.size = size_;
  if (md5_) out.segment.md5_hex = HexEncode(out.md5_raw);
  if (sealer_) out.segment.sealing = sealer_->Parameters();
  return out;
}

ObjectReader::ObjectReader(storage::BlobStore& blobs, std::shared_ptr<const ObjectKeys> keys,
                           std::vector<Segment> segments, uint64_t start, uint64_t end)
    : blobs_(blobs), keys_(std::move(keys)), segments_(std::move(segments)), pos_(start), end_(end) {
  // Skip whole segments before the range.
  while (index_ < segments_.size() && segment_start_ + segments_[index_].size <= pos_) {
    segment_start_ += segments_[index_].size;
    ++index_;
  }
}

Status ObjectReader::OpenCurrent() {
  if (open_index_ == index_) return Status::Ok();
  const Segment& s = segments_[index_];
  auto r = blobs_.Open(s.blob);
  if (!r.ok()) return DataLoss("object data missing: blob " + s.blob + ": " + r.status().message());
  reader_ = std::move(*r);
  CK_ASSIGN_OR_RETURN(opener_, MakeOpener(keys_, s.sealing, s.size));
  open_index_ = index_;
  return Status::Ok();
}

Status ObjectReader::Prepare() {
  if (pos_ >= end_ || index_ >= segments_.size()) return Status::Ok();
  return OpenCurrent();
}

Result<size_t> ObjectReader::Read(char* out, size_t max) {
  size_t total = 0;
  while (total < max && pos_ < end_) {
    if (index_ >= segments_.size()) return DataLoss("object shorter than its record");
    const Segment& s = segments_[index_];
    uint64_t in_seg = pos_ - segment_start_;
    if (in_seg >= s.size) {
      segment_start_ += s.size;
      ++index_;
      continue;
    }
    CK_RETURN_IF_ERROR(OpenCurrent());
    size_t want = static_cast<size_t>(std::min<uint64_t>({max - total, end_ - pos_, s.size - in_seg}));
    Result<size_t> got =
        opener_ ? opener_->ReadAt(*reader_, in_seg, out + total, want) : reader_->ReadAt(in_seg, out + total, want);
    if (!got.ok()) return got.status();
    if (*got == 0) return DataLoss("object blob " + s.blob + " is shorter than recorded");
    total += *got;
    pos_ += *got;
    if (total > 0 && *got < want) break;  // give the server what we have
  }
  return total;
}

}  // namespace ck::services::s3
