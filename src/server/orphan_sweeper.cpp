#include "server/orphan_sweeper.h"

#include <unordered_set>
#include <vector>

#include <spdlog/spdlog.h>

namespace ck::server {

Status OrphanSweeper::SweepOnce(std::chrono::seconds grace) {
  std::lock_guard sweep(sweep_mu_);
  auto fail = [this](Status s) {
    ++failures_;
    spdlog::warn("orphan sweep failed: {}", s.message());
    return s;
  };
  auto temp = blobs_.CleanTemporaries();
  if (!temp.ok()) return fail(temp.status());
  temp_files_ += temp->files;
  temp_bytes_ += temp->bytes;

  // Candidates: committed blobs older than the grace period.
  int64_t cutoff =
      std::chrono::duration_cast<std::chrono::seconds>((std::chrono::system_clock::now() - grace).time_since_epoch())
          .count();
  std::vector<storage::BlobInfo> old;
  Status listed = blobs_.ForEach([&](const storage::BlobInfo& b) {
    if (grace.count() == 0 || b.mtime_unix < cutoff) old.push_back(b);
  });
  if (!listed.ok()) return fail(listed);

  uint64_t removed = 0, removed_bytes = 0;
  if (!old.empty()) {
    // Unreferenced in two reads in a row, or kept.
    std::unordered_set<std::string> candidates;
    for (const auto& b : old) candidates.insert(b.id);
    for (int pass = 0; pass < 2 && !candidates.empty(); ++pass) {
      std::unordered_set<std::string> referenced;
      Status read = references_([&](const std::string& id) {
        if (candidates.count(id)) referenced.insert(id);
      });
      if (!read.ok()) return fail(read);  // unsure what is referenced: delete nothing
      for (const auto& id : referenced) candidates.erase(id);
    }
    for (const auto& b : old) {
      if (stopping_.load()) break;
      if (!candidates.count(b.id)) continue;
      Status s = blobs_.Delete(b.id);
      if (s.ok()) {
        ++removed;
        removed_bytes += b.size;
      } else if (s.code() != Code::kNotFound) {
        return fail(s);
      }
    }
  }
  blobs_removed_ += removed;
  blob_bytes_ += removed_bytes;
  ++sweeps_;
  if (temp->files || removed) {
    spdlog::info("orphan sweep: removed {} temporary file(s) ({} bytes) and {} unreferenced blob(s) ({} bytes)",
                 temp->files, temp->bytes, removed, removed_bytes);
  } else {
    spdlog::debug("orphan sweep: nothing to remove ({} blob(s) checked)", old.size());
  }
  return Status::Ok();
}

void OrphanSweeper::Start() {
  if (options_.interval.count() <= 0 || timer_.joinable()) return;
  timer_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!cv_.wait_for(lock, options_.interval, [this] { return stop_; })) {
      lock.unlock();
      (void)SweepOnce(options_.grace);  // failures are counted and logged
      lock.lock();
    }
  });
}

void OrphanSweeper::Stop() {
  stopping_ = true;
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (timer_.joinable()) timer_.join();
}

nlohmann::json OrphanSweeper::Health() const {
  return {{"sweeps", sweeps_.load()},
          {"temp_files_removed", temp_files_.load()},
          {"temp_bytes_removed", temp_bytes_.load()},
          {"blobs_removed", blobs_removed_.load()},
          {"blob_bytes_removed", blob_bytes_.load()},
          {"failures", failures_.load()}};
}

}  // namespace ck::server
