// AdminService: crosskey's own endpoints under /_crosskey/ (docs/admin-api.md):
// health, the time-travel clock, decision records (`crosskey explain`), the
// web console's files and its JSON API. Registered with the gateway like the
// AWS services.
//
// With --strict, which may listen beyond loopback, only loopback clients are
// answered (the console reveals every account's metadata, never secrets).
//
// Thread safety: safe for concurrent use.
#pragma once

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "services/gateway/gateway.h"

namespace ck::services {

struct AdminOptions {
  std::string version;
  std::string region;
  bool strict = false;
  std::string store_description, blob_description;
  // Adds sections to /_crosskey/health (the composition root's own counters).
  std::function<void(nlohmann::json&)> health_extra;
};

// The console's data, from the services (admin_api.cpp); absent until wired.
class ConsoleData {
 public:
  virtual ~ConsoleData() = default;
  // GET /_crosskey/api/<path>?<query>: a JSON body, or a status with an error.
  virtual Result<nlohmann::json> Get(const std::string& path, const http::RequestHead& head) = 0;
};

class AdminService final : public AdminHandler {
 public:
  AdminService(AdminOptions options, Gateway& gateway, OffsetClock* time_travel);
  void SetConsoleData(ConsoleData* data) { data_ = data; }
  http::Response Handle(const http::RequestHead& head) override;

 private:
  http::Response Health();
  http::Response Time(const http::RequestHead& head);
  http::Response Explain(const http::RequestHead& head, const std::string& request_id);
  http::Response Ui(const std::string& path);
  http::Response Api(const http::RequestHead& head, const std::string& path);

  AdminOptions options_;
  Gateway& gateway_;
  OffsetClock* time_travel_;
  ConsoleData* data_ = nullptr;
  std::chrono::steady_clock::time_point started_;
};

// True for 127.0.0.0/8, ::1, ::ffff:127.x and "localhost".
bool IsLoopbackAddress(const std::string& ip);

}  // namespace ck::services
