#include "services/admin/admin_service.h"

#include <cstdlib>

#include "base/codec.h"
#include "webui/assets.h"

namespace ck::services {

using nlohmann::json;

namespace {

http::Response JsonResponse(int status, const json& body) {
  http::Response r;
  r.status = status;
  r.headers.Set("Content-Type", "application/json");
  r.body = body.dump(-1, ' ', false, json::error_handler_t::replace);
  return r;
}

http::Response ErrorResponse(int status, const std::string& message) {
  http::Response r = JsonResponse(status, json{{"error", message}});
  r.error_code = std::to_string(status);
  r.error_message = message;
  return r;
}

}  // namespace

bool IsLoopbackAddress(const std::string& ip) {
  return StartsWith(ip, "127.") || ip == "::1" || StartsWith(ip, "::ffff:127.") || ip == "localhost";
}

AdminService::AdminService(AdminOptions options, Gateway& gateway, OffsetClock* time_travel)
    : options_(std::move(options)), gateway_(gateway), time_travel_(time_travel),
      started_(std::chrono::steady_clock::now()) {}

http::Response AdminService::Handle(const http::RequestHead& head) {
  const std::string& path = head.path;
  if (path == "/_crosskey/health" && (head.method == "GET" || head.method == "HEAD")) return Health();
  if (options_.strict && !IsLoopbackAddress(head.remote_ip))
    return ErrorResponse(403, "crosskey's admin endpoints answer only loopback clients in --strict mode");
  if (path == "/_crosskey/time" && head.method == "POST") return Time(head);
  if (head.method != "GET" && head.method != "HEAD") return ErrorResponse(405, "method not allowed");
  if (StartsWith(path, "/_crosskey/explain/")) return Explain(head, path.substr(19));
  if (path == "/_crosskey/ui") {
    http::Response r;
    r.status = 301;
    r.headers.Set("Location", "/_crosskey/ui/");
    return r;
  }
  if (StartsWith(path, "/_crosskey/ui/")) return Ui(path.substr(14));
  if (StartsWith(path, "/_crosskey/api/")) return Api(head, path.substr(15));
  return ErrorResponse(404, "no such crosskey endpoint: " + path);
}

http::Response AdminService::Health() {
  auto& stats = gateway_.stats();
  auto uptime = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
  json body = {{"status", "ok"},
               {"version", options_.version},
               {"services", gateway_.ServiceNames()},
               {"uptime_seconds", uptime},
               {"region", options_.region},
               {"strict", options_.strict},
               {"store", {{"metadata", options_.store_description}, {"blobs", options_.blob_description}}},
               {"requests", stats.requests.load()},
               {"errors", stats.errors.load()},
               {"decision_records", gateway_.decisions().capacity()},
               {"warnings", {{"foreign_key_resolutions", stats.foreign_key_resolutions.load()}}}};
  if (options_.health_extra) options_.health_extra(body);
  return JsonResponse(200, body);
}

http::Response AdminService::Time(const http::RequestHead& head) {
  if (!time_travel_) return ErrorResponse(403, "time travel is off; start crosskey with --enable-time-travel");
  auto advance = head.QueryValue("advance");
  long long seconds = advance ? std::atoll(std::string(*advance).c_str()) : 0;
  if (seconds < 0) return ErrorResponse(400, "advance must be a non-negative number of seconds");
  time_travel_->Advance(std::chrono::seconds(seconds));
  return JsonResponse(200, json{{"offset_seconds", time_travel_->offset_seconds()},
                                {"now", FormatIso8601(time_travel_->Now())}});
}

http::Response AdminService::Explain(const http::RequestHead& head, const std::string& request_id) {
  auto record = gateway_.decisions().Find(request_id);
  if (!record)
    return ErrorResponse(404, "no decision record for request " + request_id +
                                  " (kept: the last " + std::to_string(gateway_.decisions().capacity()) + " requests)");
  bool as_json = head.QueryValue("format").value_or("") == "json" ||
                 head.headers.GetOr("accept").find("application/json") != std::string::npos;
  if (as_json) {
    json j = ToDocument(*record);
    j["text"] = record->ToText();
    return JsonResponse(200, j);
  }
  http::Response r;
  r.headers.Set("Content-Type", "text/plain; charset=utf-8");
  r.body = record->ToText();
  return r;
}

http::Response AdminService::Ui(const std::string& path) {
  const webui::Asset* asset = webui::FindAsset(path);
  if (!asset) return ErrorResponse(404, "no such console file: " + path);
  http::Response r;
  r.headers.Set("Content-Type", asset->content_type);
  r.headers.Set("Cache-Control", "no-cache");
  r.body.assign(asset->data, asset->size);
  return r;
}

http::Response AdminService::Api(const http::RequestHead& head, const std::string& path) {
  if (path == "overview") {
    return JsonResponse(200, json{{"version", options_.version},
                                  {"region", options_.region},
                                  {"mode", options_.strict ? "strict" : "dev"},
                                  {"note", options_.strict ? "strict mode: the console answers loopback clients only"
                                                           : "dev mode: crosskey listens on loopback only"}});
  }
  if (!data_) return ErrorResponse(503, "the console's data is not available");
  auto body = data_->Get(path, head);
  if (!body.ok()) return ErrorResponse(body.status().http_status(), body.status().message());
  return JsonResponse(200, *body);
}

}  // namespace ck::services
