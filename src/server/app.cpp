#include "server/app.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include "base/cancel.h"
#include "base/clock.h"
#include "http/server.h"
#include "http/tls.h"
#include "server/config.h"
#include "server/data_dir_lock.h"
#include "server/orphan_sweeper.h"
#include "server/seed.h"
#include "server/seed_resources.h"
#include "services/authorizer.h"
#include "services/cloudtrail/cloudtrail_service.h"
#include "services/cloudtrail/event_recorder.h"
#include "services/credential_resolver.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/admin/admin_service.h"
#include "services/gateway/gateway.h"
#include "services/iam/iam_service.h"
#include "services/iam/identity_store.h"
#include "services/kms/kms_api.h"
#include "services/kms/kms_engine.h"
#include "services/kms/master_key.h"
#include "services/s3/blob_references.h"
#include "services/s3/s3_service.h"
#include "services/secretsmanager/secretsmanager_service.h"
#include "services/sts/sts_service.h"
#include "storage/fs_blob_store.h"
#include "storage/memory_blob_store.h"
#include "storage/memory_metadata_store.h"
#include "storage/sqlite_metadata_store.h"

namespace ck::server {

namespace {
// Registers a JSON/query service; false (after saying why) when its operation
// table does not match its model.
bool Registered(services::Gateway& gateway, services::Service* service) {
  Status s = gateway.Register(service);
  if (!s.ok()) std::cerr << "crosskey: " << s.message() << "\n";
  return s.ok();
}
}  // namespace

const char kVersion[] = "0.1.0";

bool IsLoopback(const std::string& host) {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

namespace {

// Test support: CROSSKEY_TEST_SCAN_DELAY_MS=N makes every scan of DynamoDB
// items take N ms more (returning early once the request is cancelled), so
// that tests can have a long DynamoDB Scan in flight when the server stops.
class SlowScanStore final : public storage::MetadataStore {
 public:
  SlowScanStore(std::unique_ptr<storage::MetadataStore> inner, int delay_ms)
      : inner_(std::move(inner)), delay_ms_(delay_ms) {}
  Result<std::optional<std::string>> Get(std::string_view t, std::string_view k) override { return inner_->Get(t, k); }
  Status Apply(const storage::WriteBatch& b) override { return inner_->Apply(b); }
  Result<std::vector<storage::Record>> Scan(std::string_view t, const storage::ScanOptions& o) override {
    for (int waited = 0; t == "ddb.items" && waited < delay_ms_ && !CancelRequested(); waited += 10)
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    return inner_->Scan(t, o);
  }
  Result<uint64_t> Count(std::string_view t, std::string_view p) override { return inner_->Count(t, p); }
  std::string Describe() const override { return inner_->Describe(); }
  Status Close() override { return inner_->Close(); }

 private:
  std::unique_ptr<storage::MetadataStore> inner_;
  int delay_ms_;
};

// The message of a config error, naming the file once.
std::string ConfigError(const std::string& file, const Status& s) {
  if (s.message().rfind(file + ":", 0) == 0) return s.message();
  return file + ": " + s.message();
}

// The TLS context for --tls-cert/--tls-key or --tls-self-signed (null when
// neither is given); *self_signed_pem gets a generated certificate.
Result<std::shared_ptr<http::TlsContext>> MakeTls(const ServeOptions& o, std::string* self_signed_pem) {
  if (o.tls_cert_file.empty() && o.tls_key_file.empty() && !o.tls_self_signed)
    return std::shared_ptr<http::TlsContext>();
  if (o.tls_self_signed && (!o.tls_cert_file.empty() || !o.tls_key_file.empty()))
    return InvalidArgument("--tls-self-signed and --tls-cert/--tls-key exclude each other");
  http::TlsCredentials credentials;
  if (o.tls_self_signed) {
    // localhost, the loopback addresses, and the listen address when it names one.
    std::vector<std::string> ips = {"127.0.0.1", "::1"};
    unsigned char addr[16];
    bool literal = inet_pton(AF_INET, o.host.c_str(), addr) == 1 || inet_pton(AF_INET6, o.host.c_str(), addr) == 1;
    if (literal && o.host != "0.0.0.0" && o.host != "::" && std::find(ips.begin(), ips.end(), o.host) == ips.end())
      ips.push_back(o.host);
    auto generated = http::GenerateSelfSigned({"localhost"}, ips);
    if (!generated.ok()) return Status(generated.status().code(), "--tls-self-signed: " + generated.status().message());
    credentials = std::move(*generated);
    *self_signed_pem = credentials.certificate_pem;
  } else {
    if (o.tls_cert_file.empty() || o.tls_key_file.empty())
      return InvalidArgument("--tls-cert and --tls-key go together");
    CK_ASSIGN_OR_RETURN(credentials, http::ReadTlsFiles(o.tls_cert_file, o.tls_key_file));
  }
  auto context = http::TlsContext::Create(credentials);
  if (context.ok()) return context;
  std::string what =
      o.tls_self_signed ? "--tls-self-signed" : "--tls-cert " + o.tls_cert_file + " / --tls-key " + o.tls_key_file;
  return Status(context.status().code(), what + ": " + context.status().message());
}

// Writes the generated certificate where clients can trust it: replaced
// whole (a client never reads half of it) at <dir>/cert.pem.
Result<std::string> WriteCertificate(const std::filesystem::path& dir, const std::string& pem) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return InvalidArgument("cannot create " + dir.string() + ": " + ec.message());
  auto path = dir / "cert.pem";
  auto tmp = dir / "cert.pem.tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << pem;
    out.close();
    if (!out) return InvalidArgument("cannot write " + tmp.string());
  }
  std::filesystem::rename(tmp, path, ec);
  if (ec) return InvalidArgument("cannot write " + path.string() + ": " + ec.message());
  return path.string();
}

// Removes a directory (the --memory certificate's) when the server ends.
struct RemoveDirAtExit {
  std::filesystem::path dir;
  ~RemoveDirAtExit() {
    std::error_code ec;
    if (!dir.empty()) std::filesystem::remove_all(dir, ec);
  }
};

void SetUpLogging(const std::string& level) {
  auto logger = spdlog::stderr_color_mt("crosskey");
  spdlog::set_default_logger(logger);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ %v", spdlog::pattern_time_type::utc);
  spdlog::set_level(spdlog::level::from_str(level));
}

}  // namespace

int Serve(const ServeOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  SetUpLogging(o.log_level);
  if (!IsLoopback(o.host) && !o.strict && !o.allow_insecure) {
    std::cerr << "crosskey: refusing to listen on non-loopback address " << o.host
              << " without --strict: dev mode accepts any access key without checking its signature.\n"
                 "Use --strict, or --allow-insecure if you really mean it.\n";
    return 2;
  }

  // Load and validate the whole config before touching any state.
  Config config;
  if (!o.config_file.empty()) {
    auto loaded = LoadConfigFile(o.config_file);
    if (!loaded.ok()) {
      std::cerr << "crosskey: " << loaded.status().message() << "\n";
      return 2;
    }
    config = std::move(*loaded);
  }
  std::string region = config.region.value_or(o.region);
  std::string self_signed_pem;
  auto tls = MakeTls(o, &self_signed_pem);
  if (!tls.ok()) {
    std::cerr << "crosskey: " << tls.status().message() << "\n";
    return 2;
  }

  std::unique_ptr<storage::MetadataStore> meta;
  std::unique_ptr<storage::BlobStore> blobs;
  std::unique_ptr<DataDirLock> lock;  // held until the process ends
  if (o.memory) {
    meta = storage::NewMemoryMetadataStore();
    blobs = storage::NewMemoryBlobStore();
  } else {
    // Before anything in the directory is touched: a second instance stops here.
    auto locked = DataDirLock::Acquire(o.data_dir);
    if (!locked.ok()) {
      std::cerr << "crosskey: " << locked.status().message() << "\n";
      return 2;
    }
    lock = std::move(*locked);
    auto m = storage::OpenSqliteMetadataStore(o.data_dir + "/metadata.db", {.fsync = o.fsync});
    if (!m.ok()) {
      std::cerr << "crosskey: " << m.status().message() << "\n";
      return 2;
    }
    meta = std::move(*m);
    auto b = storage::OpenFsBlobStore(o.data_dir + "/blobs", {.fsync = o.fsync});
    if (!b.ok()) {
      std::cerr << "crosskey: " << b.status().message() << "\n";
      return 2;
    }
    blobs = std::move(*b);
  }
  // The generated certificate, for clients to trust (--ca-bundle, AWS_CA_BUNDLE).
  std::string cert_path;
  RemoveDirAtExit cert_tmp_dir;
  if (!self_signed_pem.empty()) {
    std::filesystem::path dir = std::filesystem::path(o.data_dir) / "tls";
    if (o.memory) {
      const char* tmpdir = std::getenv("TMPDIR");
      std::string templ = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/crosskey-tls-XXXXXX";
      if (!::mkdtemp(templ.data())) {
        std::cerr << "crosskey: --tls-self-signed: cannot create a directory " << templ << ": " << std::strerror(errno)
                  << "\n";
        return 2;
      }
      dir = cert_tmp_dir.dir = templ;
    }
    auto written = WriteCertificate(dir, self_signed_pem);
    if (!written.ok()) {
      std::cerr << "crosskey: --tls-self-signed: " << written.status().message() << "\n";
      return 2;
    }
    cert_path = *written;
  }
  if (const char* delay = std::getenv("CROSSKEY_TEST_SCAN_DELAY_MS"); delay && std::atoi(delay) > 0) {
    spdlog::warn("CROSSKEY_TEST_SCAN_DELAY_MS={}: every scan of DynamoDB items is slowed down (a test setting)", delay);
    meta = std::make_unique<SlowScanStore>(std::move(meta), std::atoi(delay));
  }

  SystemClock wall_clock;
  OffsetClock clock;  // the logical clock services use; advanced only with --enable-time-travel
  services::IdentityStore identities(*meta);
  // Without --config the state is used as the last run left it (nothing is
  // applied, nothing withdrawn); with one, the config is the baseline.
  Status seeded = o.config_file.empty() ? Status::Ok() : ApplyConfig(config, identities, clock);
  if (!seeded.ok()) {
    std::cerr << "crosskey: " << ConfigError(o.config_file, seeded) << "\n";
    return 2;
  }
  services::CredentialResolver credentials(identities, clock, o.strict, "000000000000");
  // Orphan blobs: swept once before serving, then on a timer (see orphan_sweeper.h).
  OrphanSweeper sweeper(
      *blobs,
      [&meta](const std::function<void(const std::string&)>& fn) {
        return services::s3::ForEachBlobReference(*meta, fn);
      },
      {.interval = std::chrono::seconds(o.sweep_interval_seconds), .grace = std::chrono::seconds(600)});
  services::Gateway gateway({.default_region = region,
                             .decision_records = o.decision_records,
                             .decision_file = o.decision_file},
                            credentials, wall_clock);
  services::AdminService admin({.version = kVersion,
                                .region = region,
                                .strict = o.strict,
                                .store_description = meta->Describe(),
                                .blob_description = blobs->Describe(),
                                .health_extra = [&sweeper](nlohmann::json& body) { body["orphans"] = sweeper.Health(); }},
                               gateway, o.enable_time_travel ? &clock : nullptr);
  gateway.RegisterAdmin(&admin);
  services::PolicyAuthorizer authorizer(identities, clock);
  services::iam::IamService iam(identities, authorizer, clock);
  if (!Registered(gateway, &iam)) return 2;
  services::StsService sts(identities, clock, authorizer);
  if (!Registered(gateway, &sts)) return 2;
  auto master_key = services::kms::LoadMasterKey(std::getenv("CROSSKEY_MASTER_KEY"), o.data_dir, o.memory);
  if (!master_key.ok()) {
    std::cerr << "crosskey: " << master_key.status().message() << "\n";
    return 2;
  }
  services::cloudtrail::EventRecorder events(*meta);
  // One master key for the process (in --memory mode it is random per process,
  // so every service must share this copy).
  const std::string master = *master_key;
  services::kms::KmsEngine kms(*meta, authorizer, events, clock, master);
  if (Status started = kms.Start(); !started.ok()) {
    std::cerr << "crosskey: kms: " << started.message() << "\n";
    return 2;
  }
  services::kms::KmsApi kms_api(kms);
  if (!Registered(gateway, &kms_api)) return 2;
  services::cloudtrail::CloudTrailService cloudtrail(events, authorizer);
  if (!Registered(gateway, &cloudtrail)) return 2;
  // DynamoDB's "AWS owned key" derives from the master key.
  services::dynamodb::DynamoDbService dynamodb(*meta, authorizer, kms, clock, master);
  if (!Registered(gateway, &dynamodb)) return 2;
  services::sm::SecretsManagerService secretsmanager(*meta, authorizer, kms, clock);
  if (!Registered(gateway, &secretsmanager)) return 2;
  // S3 seals objects at rest (SSE-S3 keys wrapped under the master key) and calls KMS as the requester.
  services::s3::S3Options s3_options{.region = region};
  s3_options.sse.kms = &kms;
  s3_options.sse.master_key = master;
  s3_options.sse.diagnostic_headers = o.diagnostic_headers;
  s3_options.sse.require_key_arns = o.require_key_arns;
  s3_options.sse.foreign_key_resolutions = &gateway.stats().foreign_key_resolutions;
  services::s3::S3Service s3(*meta, *blobs, authorizer, clock, std::move(s3_options));
  gateway.RegisterS3(&s3);
  if (Status s = SeedKeysAndBuckets(config, region, kms, s3); !s.ok()) {
    std::cerr << "crosskey: " << ConfigError(o.config_file, s) << "\n";
    return 2;
  }
  // Nothing is in flight yet: every unreferenced blob is an orphan.
  if (Status swept = sweeper.SweepOnce(std::chrono::seconds(0)); !swept.ok()) {
    spdlog::warn("orphan sweep at start-up failed (serving anyway): {}", swept.message());
  }

  http::ServerOptions http_options;
  http_options.host = o.host;
  http_options.port = static_cast<uint16_t>(o.port);
  http_options.threads = o.threads;
  http_options.header_limit = o.max_header_bytes;
  http_options.idle_timeout = std::chrono::seconds(o.idle_timeout_seconds);
  http_options.max_connections = o.max_connections;
  http_options.tls = *tls;
  http::Server server(http_options, gateway, services::Gateway::LimitError);
  Status listening = server.Listen();
  if (!listening.ok()) {
    std::cerr << "crosskey: " << listening.message() << "\n";
    return 2;
  }
  server.OnReady([&] {
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
    std::string https = *tls ? fmt::format(" and https://{}:{}", host, server.bound_port()) : std::string();
    spdlog::info("crosskey {} listening on http://{}:{}{} region={} store={} blobs={} mode={} ({:.1f} ms)", kVersion,
                 host, server.bound_port(), https, region, meta->Describe(), blobs->Describe(),
                 o.strict ? "strict" : "dev", ms);
    if (*tls) {
      spdlog::info("TLS certificate: {}{}", (*tls)->description(),
                   cert_path.empty() ? std::string()
                                     : fmt::format(" (self-signed, new at each start; clients trust it with "
                                                   "--ca-bundle {} or AWS_CA_BUNDLE={})",
                                                   cert_path, cert_path));
    }
    if (!cert_path.empty()) std::cout << "crosskey self-signed certificate: " << cert_path << std::endl;
    if (o.print_ready) std::cout << "crosskey ready on port " << server.bound_port() << std::endl;
  });
  sweeper.Start();
  server.Run();
  sweeper.Stop();
  spdlog::info("crosskey stopping: closing the store");
  Status closed = meta->Close();
  if (!closed.ok()) spdlog::error("closing metadata store: {}", closed.message());
  return 0;
}

}  // namespace ck::server
