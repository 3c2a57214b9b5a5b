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
constexpr size_t kWakeBatch = 256;

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

// A small append-only JSON writer: rendering is the recorder's hot loop, and
// building nlohmann trees per event costs several times more.
class Out {
 public:
  explicit Out(std::string* s) : s_(*s) {}
  Out& Raw(std::string_view v) {
    s_.append(v);
    return *this;
  }
  Out& Str(std::string_view v) {
    s_.push_back('"');
    size_t run = 0;
    for (size_t i = 0; i < v.size(); ++i) {
      unsigned char c = static_cast<unsigned char>(v[i]);
      if (c != '"' && c != '\\' && c >= 0x20) continue;
      s_.append(v.data() + run, i - run);
      run = i + 1;
      if (c == '"' || c == '\\') {
        s_.push_back('\\');
        s_.push_back(static_cast<char>(c));
      } else {
        static const char kHex[] = "0123456789abcdef";
        s_.append("\\u00");
        s_.push_back(kHex[c >> 4]);
        s_.push_back(kHex[c & 15]);
      }
    }
    s_.append(v.data() + run, v.size() - run);
    s_.push_back('"');
    return *this;
  }
  // ,"key": (the comma unless first in the object)
  Out& Key(std::string_view k) {
    if (!s_.empty() && s_.back() != '{' && s_.back() != '[') s_.push_back(',');
    Str(k);
    s_.push_back(':');
    return *this;
  }
  Out& KV(std::string_view k, std::string_view v) { return Key(k).Str(v); }
  Out& Json(const json& j) {
    if (j.is_null()) return Raw("null");
    return Raw(j.dump());
  }

 private:
  std::string& s_;
};

void UserIdentity(const ApiEvent& e, Out& o) {
  const Principal& p = e.principal;
  o.Raw("{");
  const char* type = "AWSAccount";
  switch (p.type) {
    case Principal::Type::kRoot: type = "Root"; break;
    case Principal::Type::kUser: type = "IAMUser"; break;
    case Principal::Type::kAssumedRole: type = "AssumedRole"; break;
    case Principal::Type::kFederatedUser: type = "FederatedUser"; break;
    case Principal::Type::kService: type = "AWSService"; break;
    case Principal::Type::kAnonymous: type = "AWSAccount"; break;
  }
  o.KV("type", type);
  if (!p.user_id.empty()) o.KV("principalId", p.user_id);
  if (!p.arn.empty()) o.KV("arn", p.arn);
  if (!p.account.empty()) o.KV("accountId", p.account);
  if (!p.access_key_id.empty()) o.KV("accessKeyId", p.access_key_id);
  if (p.type == Principal::Type::kUser) o.KV("userName", p.username);
  if (p.type == Principal::Type::kAssumedRole) {
    std::string role_id = p.user_id.substr(0, p.user_id.find(':'));
    o.Key("sessionContext").Raw("{").Key("sessionIssuer").Raw("{");
    o.KV("type", "Role").KV("principalId", role_id).KV("arn", p.role_arn).KV("accountId", p.account);
    o.KV("userName", std::string_view(p.role_arn).substr(p.role_arn.rfind('/') + 1));
    o.Raw("}").Key("attributes").Raw("{").KV("mfaAuthenticated", "false").Raw("}}");
  }
  if (!e.invoked_by.empty()) o.KV("invokedBy", e.invoked_by);
  else if (p.type == Principal::Type::kService) o.KV("invokedBy", p.service);
  o.Raw("}");
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

std::string EventRecorder::Render(const ApiEvent& e, const std::string& recipient, const std::string& event_id,
                                  const std::string& shared_event_id) {
  std::string s;
  s.reserve(1536);
  Out o(&s);
  o.Raw("{").KV("eventVersion", "1.10").Key("userIdentity");
  UserIdentity(e, o);
  o.KV("eventTime", FormatIso8601(e.time)).KV("eventSource", e.event_source).KV("eventName", e.event_name);
  o.KV("awsRegion", e.region);
  o.KV("sourceIPAddress", e.invoked_by.empty() ? e.source_ip : e.invoked_by);
  o.KV("userAgent", e.invoked_by.empty() ? e.user_agent : e.invoked_by);
  if (!e.error_code.empty()) o.KV("errorCode", e.error_code).KV("errorMessage", e.error_message);
  o.Key("requestParameters").Json(e.request_parameters);
  o.Key("responseElements").Json(e.response_elements);
  if (!e.additional_event_data.is_null()) o.Key("additionalEventData").Json(e.additional_event_data);
  o.KV("requestID", e.request_id).KV("eventID", event_id);
  o.Key("readOnly").Raw(e.read_only ? "true" : "false");
  o.Key("resources").Raw("[");
  for (const auto& r : e.resources) {
    o.Raw(s.back() == '[' ? "{" : ",{").KV("accountId", r.account).KV("type", r.type).KV("ARN", r.arn).Raw("}");
  }
  o.Raw("]").KV("eventType", "AwsApiCall");
  o.Key("managementEvent").Raw(e.management_event ? "true" : "false");
  o.KV("recipientAccountId", recipient);
  if (!shared_event_id.empty()) o.KV("sharedEventID", shared_event_id);
  o.KV("eventCategory", "Management").Raw("}");
  return s;
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
  // The writer also wakes on a short timer, so most producers skip the futex wake.
  if (queue_.size() == kWakeBatch) cv_.notify_one();
}

void EventRecorder::Flush() {
  std::unique_lock lock(mu_);
  uint64_t target = enqueued_;
  ++flush_requests_;
  cv_.notify_one();
  done_cv_.wait(lock, [&] { return written_ >= target; });
}

void EventRecorder::WriterLoop() {
  std::vector<ApiEvent> batch;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(2),
                    [&] { return stop_ || queue_.size() >= kWakeBatch || flush_requests_ > 0; });
      flush_requests_ = 0;
      if (queue_.empty() && !stop_) continue;
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
  std::string entry, key;
  for (const ApiEvent& e : batch) {
    std::vector<std::string> recipients;
    for (const auto& r : e.recipients)
      if (!r.empty() && std::find(recipients.begin(), recipients.end(), r) == recipients.end()) recipients.push_back(r);
    std::string shared = recipients.size() > 1 ? Uuid() : "";
    std::string time_key = TimeKey(e.time);
    char epoch[32];
    std::snprintf(epoch, sizeof epoch, "%.6f", ToEpochSeconds(e.time));
    for (const auto& account : recipients) {
      std::string id = Uuid();
      entry.clear();
      Out o(&entry);
      o.Raw("{").KV("EventId", id).KV("EventName", e.event_name).KV("ReadOnly", e.read_only ? "true" : "false");
      if (!e.principal.access_key_id.empty()) o.KV("AccessKeyId", e.principal.access_key_id);
      o.Key("EventTime").Raw(epoch).KV("EventSource", e.event_source).KV("Username", UsernameOf(e.principal));
      o.Key("Resources").Raw("[");
      for (const auto& r : e.resources)
        o.Raw(entry.back() == '[' ? "{" : ",{").KV("ResourceType", r.type).KV("ResourceName", r.arn).Raw("}");
      o.Raw("]").KV("CloudTrailEvent", Render(e, account, id, shared)).Raw("}");
      key.clear();
      key.append(account).append("/").append(time_key).append("/").append(id);
      wb.Put(kTable, key, entry);
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
