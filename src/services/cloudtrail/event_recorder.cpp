#include "services/cloudtrail/event_recorder.h"

#include <cinttypes>
#include <cstdio>

#include <spdlog/spdlog.h>

#include "base/codec.h"
#include "crypto/hash.h"

namespace ck::services::cloudtrail {

using nlohmann::json;

namespace {

constexpr size_t kMaxQueue = 1 << 16;  // producers wait beyond this (bounded memory)

std::string Uuid() {
  std::string b = crypto::RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3f) | 0x80);
  std::string h = HexEncode(b);
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" + h.substr(20);
}

int64_t Micros(TimePoint t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

// Newest first in forward key order.
std::string TimeKey(TimePoint t) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016" PRIx64, UINT64_MAX - static_cast<uint64_t>(Micros(t)));
  return buf;
}

json UserIdentity(const ApiEvent& e) {
  const Principal& p = e.principal;
  json u = json::object();
  switch (p.type) {
    case Principal::Type::kRoot: u["type"] = "Root"; break;
    case Principal::Type::kUser: u["type"] = "IAMUser"; break;
    case Principal::Type::kAssumedRole: u["type"] = "AssumedRole"; break;
    case Principal::Type::kFederatedUser: u["type"] = "FederatedUser"; break;
    case Principal::Type::kService: u["type"] = "AWSService"; break;
    case Principal::Type::kAnonymous: u["type"] = "AWSAccount"; break;
  }
  if (!p.user_id.empty()) u["principalId"] = p.user_id;
  if (!p.arn.empty()) u["arn"] = p.arn;
  if (!p.account.empty()) u["accountId"] = p.account;
  if (!p.access_key_id.empty()) u["accessKeyId"] = p.access_key_id;
  if (p.type == Principal::Type::kUser) u["userName"] = p.username;
  if (p.type == Principal::Type::kService) u["invokedBy"] = p.service;
  if (p.type == Principal::Type::kAssumedRole) {
    std::string role_id = p.user_id.substr(0, p.user_id.find(':'));
    u["sessionContext"] = {
        {"sessionIssuer",
         {{"type", "Role"},
          {"principalId", role_id},
          {"arn", p.role_arn},
          {"accountId", p.account},
          {"userName", p.role_arn.substr(p.role_arn.rfind('/') + 1)}}},
        {"attributes", {{"mfaAuthenticated", "false"}}}};
  }
  if (!e.invoked_by.empty()) u["invokedBy"] = e.invoked_by;
  return u;
}

}  // namespace

std::string EventRecorder::UsernameOf(const Principal& p) {
  switch (p.type) {
    case Principal::Type::kRoot: return "root";
    case Principal::Type::kUser: return p.username;
    case Principal::Type::kAssumedRole: return p.session_name;
    case Principal::Type::kFederatedUser: return p.arn.substr(p.arn.rfind('/') + 1);
    default: return "";
  }
}

json EventRecorder::Render(const ApiEvent& e, const std::string& recipient, const std::string& event_id,
                           const std::string& shared_event_id) {
  json resources = json::array();
  for (const auto& r : e.resources) resources.push_back({{"accountId", r.account}, {"type", r.type}, {"ARN", r.arn}});
  json ev = {{"eventVersion", "1.10"},
             {"userIdentity", UserIdentity(e)},
             {"eventTime", FormatIso8601(e.time)},
             {"eventSource", e.event_source},
             {"eventName", e.event_name},
             {"awsRegion", e.region},
             {"sourceIPAddress", e.invoked_by.empty() ? e.source_ip : e.invoked_by},
             {"userAgent", e.invoked_by.empty() ? e.user_agent : e.invoked_by}};
  if (!e.error_code.empty()) {
    ev["errorCode"] = e.error_code;
    ev["errorMessage"] = e.error_message;
  }
  ev["requestParameters"] = e.request_parameters;
  ev["responseElements"] = e.response_elements;
  if (!e.additional_event_data.is_null()) ev["additionalEventData"] = e.additional_event_data;
  ev["requestID"] = e.request_id;
  ev["eventID"] = event_id;
  ev["readOnly"] = e.read_only;
  ev["resources"] = resources;
  ev["eventType"] = "AwsApiCall";
  ev["managementEvent"] = e.management_event;
  ev["recipientAccountId"] = recipient;
  if (!shared_event_id.empty()) ev["sharedEventID"] = shared_event_id;
  ev["eventCategory"] = "Management";
  return ev;
}

EventRecorder::EventRecorder(storage::MetadataStore& store) : store_(store) {
  writer_ = std::thread([this] { WriterLoop(); });
}

EventRecorder::~EventRecorder() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  writer_.join();
}

void EventRecorder::Record(ApiEvent event) {
  std::unique_lock lock(mu_);
  done_cv_.wait(lock, [&] { return queue_.size() < kMaxQueue || stop_; });
  queue_.push_back(std::move(event));
  ++enqueued_;
  if (queue_.size() == 1) cv_.notify_one();
}

void EventRecorder::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = enqueued_;
  cv_.notify_one();
  done_cv_.wait(lock, [&] { return written_ >= target; });
}

void EventRecorder::WriterLoop() {
  std::vector<ApiEvent> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait(lock, [&] { return stop_ || !queue_.empty(); });
      if (queue_.empty() && stop_) return;
      batch.clear();
      size_t n = std::min<size_t>(queue_.size(), 4096);
      for (size_t i = 0; i < n; ++i) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    Status s = Write(batch);
    if (!s.ok()) spdlog::error("cloudtrail: storing {} events failed: {}", batch.size(), s.message());
    {
      std::lock_guard lock(mu_);
      written_ += batch.size();
    }
    done_cv_.notify_all();
  }
}

Status EventRecorder::Write(std::vector<ApiEvent>& batch) {
  storage::WriteBatch wb;
  for (const ApiEvent& e : batch) {
    std::vector<std::string> recipients;
    for (const auto& r : e.recipients)
      if (!r.empty() && std::find(recipients.begin(), recipients.end(), r) == recipients.end()) recipients.push_back(r);
    std::string shared = recipients.size() > 1 ? Uuid() : "";
    json resources = json::array();
    for (const auto& r : e.resources) resources.push_back({{"ResourceType", r.type}, {"ResourceName", r.arn}});
    for (const auto& account : recipients) {
      std::string id = Uuid();
      json entry = {{"EventId", id},
                    {"EventName", e.event_name},
                    {"ReadOnly", e.read_only ? "true" : "false"},
                    {"EventTime", ToEpochSeconds(e.time)},
                    {"EventSource", e.event_source},
                    {"Username", UsernameOf(e.principal)},
                    {"Resources", resources},
                    {"CloudTrailEvent", Render(e, account, id, shared).dump()}};
      if (!e.principal.access_key_id.empty()) entry["AccessKeyId"] = e.principal.access_key_id;
      wb.Put(kTable, account + "/" + TimeKey(e.time) + "/" + id, entry.dump());
    }
  }
  return store_.Apply(wb);
}

namespace {

bool Matches(const json& entry, const LookupQuery& q) {
  if (q.attribute_key.empty()) return true;
  const std::string& k = q.attribute_key;
  const std::string& v = q.attribute_value;
  if (k == "ResourceName" || k == "ResourceType") {
    for (const auto& r : entry.value("Resources", json::array()))
      if (r.value(k, "") == v) return true;
    return false;
  }
  return entry.contains(k) && entry[k].is_string() && entry[k].get<std::string>() == v;
}

}  // namespace

Result<LookupPage> EventRecorder::Lookup(const std::string& account, const LookupQuery& q) {
  Flush();
  std::string prefix = account + "/";
  storage::ScanOptions opt;
  opt.prefix = prefix;
  if (!q.next_token.empty()) {
    auto decoded = Base64Decode(q.next_token);
    if (!decoded || !decoded->starts_with(prefix))
      return AwsError("InvalidNextTokenException", 400, "Invalid NextToken.");
    opt.start_after = *decoded;
  } else if (q.end_time) {
    // Events at or before EndTime: keys at or after the EndTime time key.
    opt.start_at = prefix + TimeKey(*q.end_time + std::chrono::microseconds(1)).substr(0, 16);
  }
  int max = q.max_results <= 0 || q.max_results > 50 ? 50 : q.max_results;
  LookupPage page;
  for (;;) {
    opt.limit = 512;
    CK_ASSIGN_OR_RETURN(auto records, store_.Scan(kTable, opt));
    for (const auto& rec : records) {
      json entry = json::parse(rec.value, nullptr, false);
      if (entry.is_discarded()) continue;
      TimePoint t = FromEpochSeconds(entry.value("EventTime", 0.0));
      if (q.end_time && t > *q.end_time) continue;
      if (q.start_time && t < *q.start_time) return page;
      if (!Matches(entry, q)) continue;
      if (static_cast<int>(page.events.size()) == max) {
        page.next_token = Base64Encode(opt.start_after);
        return page;
      }
      page.events.push_back(std::move(entry));
      opt.start_after = rec.key;
    }
    if (records.size() < 512) return page;
    opt.start_at.clear();
    opt.start_after = records.back().key;
  }
}

}  // namespace ck::services::cloudtrail
