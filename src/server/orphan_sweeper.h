// OrphanSweeper: reclaims blob-store space nothing refers to.
//   - temporary files no live writer owns (uploads cut short by a crash);
//   - committed blobs no S3 record names (a crash between a blob's commit and
//     its record's write, or a request refused after its body was stored).
// It runs once at start-up, before the server accepts requests (every
// unreferenced blob is then an orphan), and then on a timer while serving.
// While serving, in-flight uploads are safe: their temporary files belong to
// live writers, and a committed blob is spared until it is older than the
// grace period (its record is written milliseconds after the commit). A blob
// is deleted only when two reads of the references, one after the other,
// both miss it, so a record that moves between tables during a read (a
// multipart completion) cannot make its blobs look orphaned.
//
// Thread safety: SweepOnce may run on any thread, one at a time; Start/Stop
// from the owning thread; the counters are atomics read by /_crosskey/health.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "storage/blob_store.h"

namespace ck::server {

class OrphanSweeper {
 public:
  // Calls its argument with every referenced blob id (s3::ForEachBlobReference).
  using References = std::function<Status(const std::function<void(const std::string&)>&)>;

  struct Options {
    std::chrono::seconds interval{600};  // between sweeps while serving; 0: no timer
    std::chrono::seconds grace{600};     // committed blobs younger than this are spared while serving
  };

  OrphanSweeper(storage::BlobStore& blobs, References references, Options options)
      : blobs_(blobs), references_(std::move(references)), options_(options) {}
  ~OrphanSweeper() { Stop(); }

  // One sweep. `grace`: blobs modified more recently are kept (zero at start-up).
  Status SweepOnce(std::chrono::seconds grace);
  // Starts the timer thread (sweeps with options.grace every options.interval).
  void Start();
  // Stops the timer thread; a sweep in progress stops at its next blob.
  void Stop();

  // {"sweeps", "temp_files_removed", "temp_bytes_removed", "blobs_removed",
  //  "blob_bytes_removed", "failures"}
  nlohmann::json Health() const;

 private:
  storage::BlobStore& blobs_;
  References references_;
  Options options_;
  std::mutex sweep_mu_;  // one sweep at a time
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::atomic<bool> stopping_{false};
  std::thread timer_;
  std::atomic<uint64_t> sweeps_{0}, temp_files_{0}, temp_bytes_{0}, blobs_removed_{0}, blob_bytes_{0}, failures_{0};
};

}  // namespace ck::server
