#include "tools/audit/scanner.h"

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include "api/s3.h"
#include "base/fields.h"

namespace ck::tools::audit {

namespace {

struct Checkpoint {
  std::string bucket, key_marker, version_id_marker;
  uint64_t scanned = 0;
  std::vector<ObjectFacts> selected;
};

template <class V, class S>
void CheckpointFields(V& v, S& s) {
  v("bucket", s.bucket, true);
  v("key_marker", s.key_marker, false);
  v("version_id_marker", s.version_id_marker, false);
  v("scanned", s.scanned, false);
  v("selected", s.selected, false);
}

}  // namespace

namespace {
CK_DECLARE_FIELDS(Checkpoint);
CK_DEFINE_FIELDS(Checkpoint, CheckpointFields)

Status SaveCheckpoint(const std::string& path, const Checkpoint& c) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    f << ToDocument(c).dump();
    if (!f) return InvalidArgument("cannot write checkpoint " + tmp);
  }
  if (std::rename(tmp.c_str(), path.c_str()) != 0) return InvalidArgument("cannot replace checkpoint " + path);
  return Status::Ok();
}

Result<Checkpoint> LoadCheckpoint(const std::string& path, const std::string& bucket) {
  Checkpoint c;
  c.bucket = bucket;
  std::ifstream f(path);
  if (!f) return c;  // no checkpoint yet: start from the beginning
  std::stringstream ss;
  ss << f.rdbuf();
  Document d = Document::parse(ss.str(), nullptr, false);
  Checkpoint saved;
  if (d.is_discarded() || !FromDocument(d, &saved).ok()) return InvalidArgument("unreadable checkpoint " + path);
  if (saved.bucket != bucket) return c;  // another bucket's checkpoint: this one starts afresh
  return saved;
}

struct Item {
  ObjectFacts facts;
  size_t page;
};

// The shared state of one scan.
class ScanState {
 public:
  ScanState(size_t capacity, Checkpoint start) : capacity_(capacity), checkpoint_(std::move(start)) {}

  bool Push(Item item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return queue_.size() < capacity_ || !error_.ok(); });
    if (!error_.ok()) return false;
    queue_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }
  std::optional<Item> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return !queue_.empty() || listing_done_ || !error_.ok(); });
    if (queue_.empty() || !error_.ok()) return std::nullopt;
    Item item = std::move(queue_.front());
    queue_.pop_front();
    not_full_.notify_one();
    return item;
  }
  void AddPage(size_t page, size_t count, std::string key_marker, std::string version_marker) {
    std::lock_guard<std::mutex> lock(mu_);
    pages_[page] = {count, count, std::move(key_marker), std::move(version_marker)};
    listed_ += count;
    Advance();
  }
  void Done(const Item& item, std::optional<ObjectFacts> selected) {
    std::lock_guard<std::mutex> lock(mu_);
    if (selected) pending_selected_[item.page].push_back(std::move(*selected));
    ++scanned_;
    --pages_[item.page].remaining;
    Advance();
  }
  void FinishListing() {
    std::lock_guard<std::mutex> lock(mu_);
    listing_done_ = true;
    not_empty_.notify_all();
  }
  void Fail(Status s) {
    std::lock_guard<std::mutex> lock(mu_);
    if (error_.ok()) error_ = std::move(s);
    not_empty_.notify_all();
    not_full_.notify_all();
  }
  Status error() {
    std::lock_guard<std::mutex> lock(mu_);
    return error_;
  }
  // The checkpoint when it moved since the last call.
  std::optional<Checkpoint> TakeCheckpoint() {
    std::lock_guard<std::mutex> lock(mu_);
    if (!checkpoint_dirty_) return std::nullopt;
    checkpoint_dirty_ = false;
    return checkpoint_;
  }
  Checkpoint Final() {
    std::lock_guard<std::mutex> lock(mu_);
    return checkpoint_;
  }
  void Counts(uint64_t* scanned, uint64_t* listed, bool* listing_done) {
    std::lock_guard<std::mutex> lock(mu_);
    *scanned = scanned_;
    *listed = listed_;
    *listing_done = listing_done_;
  }

 private:
  struct Page {
    size_t remaining = 0, count = 0;
    std::string key_marker, version_marker;  // the position after this page
  };
  // Moves the checkpoint past every leading page whose versions are all done.
  void Advance() {
    while (!pages_.empty() && pages_.begin()->first == next_page_ && pages_.begin()->second.remaining == 0) {
      auto& p = pages_.begin()->second;
      checkpoint_.key_marker = p.key_marker;
      checkpoint_.version_id_marker = p.version_marker;
      auto sel = pending_selected_.find(next_page_);
      if (sel != pending_selected_.end()) {
        for (auto& f : sel->second) checkpoint_.selected.push_back(std::move(f));
        pending_selected_.erase(sel);
      }
      checkpoint_.scanned += p.count;
      checkpoint_dirty_ = true;
      pages_.erase(pages_.begin());
      ++next_page_;
    }
  }

  std::mutex mu_;
  std::condition_variable not_full_, not_empty_;
  std::deque<Item> queue_;
  size_t capacity_;
  bool listing_done_ = false;
  Status error_;
  std::map<size_t, Page> pages_;
  std::map<size_t, std::vector<ObjectFacts>> pending_selected_;
  size_t next_page_ = 0;
  uint64_t scanned_ = 0, listed_ = 0;
  Checkpoint checkpoint_;
  bool checkpoint_dirty_ = false;
};

Result<ObjectFacts> Head(client::AwsClient& s3, const std::string& bucket, ObjectFacts facts) {
  api::s3::HeadObjectRequest in;
  in.bucket = bucket;
  in.key = facts.key;
  if (facts.version_id != "null") in.version_id = facts.version_id;
  auto out = s3.Call<api::s3::ops::HeadObject>(in);
  if (!out.ok()) return out.status();
  facts.sse = out->server_side_encryption ? std::string(out->server_side_encryption->str()) : "";
  facts.kms_key_arn = out->ssekms_key_id.value_or("");
  facts.sse_c = out->sse_customer_algorithm.has_value();
  return facts;
}

void ListAll(client::AwsClient& s3, const std::string& bucket, const Checkpoint& start, ScanState& state) {
  api::s3::ListObjectVersionsRequest in;
  in.bucket = bucket;
  if (!start.key_marker.empty()) in.key_marker = start.key_marker;
  if (!start.version_id_marker.empty()) in.version_id_marker = start.version_id_marker;
  for (size_t page = 0;; ++page) {
    auto out = s3.Call<api::s3::ops::ListObjectVersions>(in);
    if (!out.ok()) return state.Fail(out.status());
    const auto& versions = out->versions.value_or(std::vector<api::s3::ObjectVersion>{});
    bool more = out->is_truncated.value_or(false);
    std::string next_key = more ? out->next_key_marker.value_or("") : "";
    std::string next_version = more ? out->next_version_id_marker.value_or("") : "";
    state.AddPage(page, versions.size(), next_key, next_version);
    for (const auto& v : versions) {
      ObjectFacts f;
      f.key = v.key.value_or("");
      f.version_id = v.version_id.value_or("null");
      f.latest = v.is_latest.value_or(true);
      f.size = static_cast<uint64_t>(v.size.value_or(0));
      if (v.owner) f.owner_id = v.owner->id.value_or("");
      if (!state.Push({std::move(f), page})) return;
    }
    if (!more) return state.FinishListing();
    in.key_marker = next_key;
    in.version_id_marker = next_version;
  }
}

void Report(ScanState& state, const std::string& bucket, bool bar, std::chrono::steady_clock::time_point start,
            bool final) {
  uint64_t scanned, listed;
  bool done;
  state.Counts(&scanned, &listed, &done);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double rate = secs > 0 ? scanned / secs : 0;
  std::string eta = done && rate > 0 ? std::to_string(static_cast<int>((listed - scanned) / rate)) + "s" : "?";
  if (bar) {
    int width = 30, filled = done && listed ? static_cast<int>(width * scanned / listed) : 0;
    std::fprintf(stderr, "\r%s [%s%s] %llu/%llu%s %.0f/s ETA %s   ", bucket.c_str(), std::string(filled, '#').c_str(),
                 std::string(width - filled, '.').c_str(), static_cast<unsigned long long>(scanned),
                 static_cast<unsigned long long>(listed), done ? "" : "+", rate, eta.c_str());
    if (final) std::fprintf(stderr, "\n");
  } else {
    std::fprintf(stderr, "audit %s: %llu versions checked, %llu listed%s, %.0f/s, ETA %s\n", bucket.c_str(),
                 static_cast<unsigned long long>(scanned), static_cast<unsigned long long>(listed),
                 done ? "" : " so far", rate, eta.c_str());
  }
}

}  // namespace

Result<ScanResult> ObjectScanner::Scan(const std::string& bucket, const std::function<bool(const ObjectFacts&)>& keep) {
  Checkpoint start;
  start.bucket = bucket;
  if (!options_.checkpoint_file.empty()) {
    CK_ASSIGN_OR_RETURN(start, LoadCheckpoint(options_.checkpoint_file, bucket));
  }
  bool resumed_at_end = start.scanned > 0 && start.key_marker.empty();
  if (resumed_at_end) return ScanResult{start.scanned, start.selected};
  ScanState state(4096, start);
  auto t0 = std::chrono::steady_clock::now();
  std::thread lister([&] { ListAll(s3_, bucket, start, state); });
  std::vector<std::thread> workers;
  for (int i = 0; i < std::max(1, options_.concurrency); ++i) {
    workers.emplace_back([&] {
      while (auto item = state.Pop()) {
        auto facts = Head(s3_, bucket, item->facts);
        // A version deleted while we scan is simply gone.
        if (!facts.ok() && facts.status().code() != Code::kNotFound) return state.Fail(facts.status());
        std::optional<ObjectFacts> selected;
        if (facts.ok() && keep(*facts)) selected = std::move(*facts);
        state.Done(*item, std::move(selected));
      }
    });
  }
  std::atomic<bool> stop{false};
  std::thread reporter([&] {
    auto period = options_.progress_bar ? std::chrono::milliseconds(500) : std::chrono::milliseconds(5000);
    auto next = std::chrono::steady_clock::now() + period;
    while (!stop) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (auto cp = state.TakeCheckpoint(); cp && !options_.checkpoint_file.empty())
        (void)SaveCheckpoint(options_.checkpoint_file, *cp);
      if (options_.progress && std::chrono::steady_clock::now() >= next) {
        Report(state, bucket, options_.progress_bar, t0, false);
        next += period;
      }
    }
  });
  lister.join();
  for (auto& w : workers) w.join();
  stop = true;
  reporter.join();
  if (options_.progress) Report(state, bucket, options_.progress_bar, t0, true);
  CK_RETURN_IF_ERROR(state.error());
  Checkpoint final = state.Final();
  if (!options_.checkpoint_file.empty()) CK_RETURN_IF_ERROR(SaveCheckpoint(options_.checkpoint_file, final));
  return ScanResult{final.scanned, std::move(final.selected)};
}

}  // namespace ck::tools::audit
