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
#include "services/console/console_data.h"
#include "services/credential_resolver.h"
#include "services/dynamodb/dynamodb_service.h"
#include "services/admin/admin_service.h"
#include "services/gateway/auth_errors.h"
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
#include "storage/tiered_blob_store.h"
#include "storage/memory_blob_store.h"
#include "storage/memory_metadata_store.h"
#include "storage/sqlite_metadata_store.h"

namespace ck::server {

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


// Where the state lives: --memory, or the data directory (locked first).
struct Storage {
  std::unique_ptr<DataDirLock> lock;  // held until the process ends
  std::unique_ptr<storage::MetadataStore> meta;
  std::unique_ptr<storage::BlobStore> blobs;
};

Result<Storage> OpenStorage(const ServeOptions& o) {
  Storage st;
  if (o.memory) {
    st.meta = storage::NewMemoryMetadataStore();
    st.blobs = storage::NewMemoryBlobStore();
  } else {
    // Before anything in the directory is touched: a second instance stops here.
    CK_ASSIGN_OR_RETURN(st.lock, DataDirLock::Acquire(o.data_dir));
    CK_ASSIGN_OR_RETURN(st.meta, storage::OpenSqliteMetadataStore(o.data_dir + "/metadata.db", {.fsync = o.fsync}));
    CK_ASSIGN_OR_RETURN(auto files, storage::OpenFsBlobStore(o.data_dir + "/blobs", {.fsync = o.fsync}));
    // Rows of the SQLite store itself (not of a wrapper added below), which
    // lives as long as st.meta does.
    st.blobs = storage::NewTieredBlobStore(std::move(files), *st.meta, {.max_inline_bytes = o.small_blob_bytes});
  }
  if (const char* delay = std::getenv("CROSSKEY_TEST_SCAN_DELAY_MS"); delay && std::atoi(delay) > 0) {
    spdlog::warn("CROSSKEY_TEST_SCAN_DELAY_MS={}: every scan of DynamoDB items is slowed down (a test setting)", delay);
    st.meta = std::make_unique<SlowScanStore>(std::move(st.meta), std::atoi(delay));
  }
  return st;
}

// Writes the generated certificate for clients to trust (--ca-bundle,
// AWS_CA_BUNDLE): under the data directory, or with --memory in a temporary
// directory removed at exit. Returns its path.
Result<std::string> PublishCertificate(const ServeOptions& o, const std::string& pem, RemoveDirAtExit* tmp) {
  std::filesystem::path dir = std::filesystem::path(o.data_dir) / "tls";
  if (o.memory) {
    const char* tmpdir = std::getenv("TMPDIR");
    std::string templ = std::string(tmpdir && *tmpdir ? tmpdir : "/tmp") + "/crosskey-tls-XXXXXX";
    if (!::mkdtemp(templ.data()))
      return InvalidArgument("cannot create a directory " + templ + ": " + std::strerror(errno));
    dir = tmp->dir = templ;
  }
  return WriteCertificate(dir, pem);
}

// The services and what they share, in dependency order (destroyed in
// reverse). Constructing them has no effect on the state; Start() does.
class ServiceStack {
 public:
  ServiceStack(const ServeOptions& o, const std::string& region, Storage& st, const std::string& master)
      : identities(*st.meta),
        credentials(identities, clock, o.strict, "000000000000"),
        // Orphan blobs: swept once before serving, then on a timer (see orphan_sweeper.h).
        sweeper(
            *st.blobs,
            [meta = st.meta.get()](const std::function<void(const std::string&)>& fn) {
              return services::s3::ForEachBlobReference(*meta, fn);
            },
            {.interval = std::chrono::seconds(o.sweep_interval_seconds), .grace = std::chrono::seconds(600)}),
        gateway({.default_region = region, .decision_records = o.decision_records, .decision_file = o.decision_file},
                credentials, wall_clock),
        admin({.version = kVersion,
               .region = region,
               .strict = o.strict,
               .store_description = st.meta->Describe(),
               .blob_description = st.blobs->Describe(),
               .health_extra = [this](nlohmann::json& body) { body["orphans"] = sweeper.Health(); }},
              gateway, o.enable_time_travel ? &clock : nullptr),
        authorizer(identities, clock),
        iam(identities, authorizer, clock),
        sts(identities, clock, authorizer),
        events(*st.meta),
        kms(*st.meta, authorizer, events, clock, master),
        kms_api(kms),
        cloudtrail(events, authorizer),
        // DynamoDB's "AWS owned key" derives from the master key.
        dynamodb(*st.meta, authorizer, kms, clock, master),
        secretsmanager(*st.meta, authorizer, kms, clock),
        s3(*st.meta, *st.blobs, authorizer, clock, S3Options(o, region, master)),
        // The web console's data: read-only views of the state above.
        console({kms.catalog(), identities, *st.meta, events, region}) {}

  // Loads KMS's keys and registers every service with the gateway (each
  // JSON/query service's operation table is checked against its model).
  Status Start() {
    gateway.RegisterAdmin(&admin);
    admin.SetConsoleData(&console);
    if (Status started = kms.Start(); !started.ok()) return Status(started.code(), "kms: " + started.message());
    for (services::Service* service : std::initializer_list<services::Service*>{
             &iam, &sts, &kms_api, &cloudtrail, &dynamodb, &secretsmanager})
      CK_RETURN_IF_ERROR(gateway.Register(service));
    gateway.RegisterS3(&s3);
    return Status::Ok();
  }

  SystemClock wall_clock;
  OffsetClock clock;  // the logical clock services use; advanced only with --enable-time-travel
  services::IdentityStore identities;
  services::CredentialResolver credentials;
  OrphanSweeper sweeper;
  services::Gateway gateway;
  services::AdminService admin;
  services::PolicyAuthorizer authorizer;
  services::iam::IamService iam;
  services::StsService sts;
  services::cloudtrail::EventRecorder events;
  services::kms::KmsEngine kms;
  services::kms::KmsApi kms_api;
  services::cloudtrail::CloudTrailService cloudtrail;
  services::dynamodb::DynamoDbService dynamodb;
  services::sm::SecretsManagerService secretsmanager;
  services::s3::S3Service s3;
  services::console::LiveConsoleData console;

 private:
  // S3 seals objects at rest (SSE-S3 keys wrapped under the master key) and calls KMS as the requester.
  services::s3::S3Options S3Options(const ServeOptions& o, const std::string& region, const std::string& master) {
    services::s3::S3Options s3_options{.region = region};
    s3_options.sse.kms = &kms;
    s3_options.sse.master_key = master;
    s3_options.sse.diagnostic_headers = o.diagnostic_headers;
    s3_options.sse.require_key_arns = o.require_key_arns;
    s3_options.sse.foreign_key_resolutions = &gateway.stats().foreign_key_resolutions;
    // Browser-form POSTs carry their signature in the form: the same keys, worded as S3 words their failures.
    s3_options.resolve_form_key = [this](std::string_view key,
                                         std::string_view token) -> Result<services::ResolvedCredential> {
      auto resolved = credentials.Resolve(key, token);
      if (resolved.ok()) return resolved;
      Status s = services::AuthErrorFor(services::Protocol::kRestXml, resolved.status());
      if (s.aws_code() == "InvalidAccessKeyId") s.WithField("AWSAccessKeyId", std::string(key));
      return s;
    };
    return s3_options;
  }
};

http::ServerOptions HttpOptions(const ServeOptions& o, std::shared_ptr<http::TlsContext> tls) {
  http::ServerOptions http_options;
  http_options.host = o.host;
  http_options.port = static_cast<uint16_t>(o.port);
  http_options.threads = o.threads;
  http_options.header_limit = o.max_header_bytes;
  http_options.idle_timeout = std::chrono::seconds(o.idle_timeout_seconds);
  http_options.max_connections = o.max_connections;
  http_options.tls = std::move(tls);
  return http_options;
}

// The start-up lines: where crosskey listens, and the TLS certificate to trust.
void AnnounceReady(const ServeOptions& o, const std::string& region, const Storage& st, const http::Server& server,
                   const std::shared_ptr<http::TlsContext>& tls, const std::string& cert_path, double ms) {
  std::string host = o.host.find(':') != std::string::npos ? "[" + o.host + "]" : o.host;
  std::string https = tls ? fmt::format(" and https://{}:{}", host, server.bound_port()) : std::string();
  spdlog::info("crosskey {} listening on http://{}:{}{} region={} store={} blobs={} mode={} ({:.1f} ms)", kVersion,
               host, server.bound_port(), https, region, st.meta->Describe(), st.blobs->Describe(),
               o.strict ? "strict" : "dev", ms);
  if (tls) {
    spdlog::info("TLS certificate: {}{}", tls->description(),
                 cert_path.empty() ? std::string()
                                   : fmt::format(" (self-signed, new at each start; clients trust it with "
                                                 "--ca-bundle {} or AWS_CA_BUNDLE={})",
                                                 cert_path, cert_path));
  }
  if (!cert_path.empty()) std::cout << "crosskey self-signed certificate: " << cert_path << std::endl;
  if (o.print_ready) std::cout << "crosskey ready on port " << server.bound_port() << std::endl;
}

// Prints why start-up failed; the exit status.
int StartFailed(const std::string& message) {
  std::cerr << "crosskey: " << message << "\n";
  return 2;
}

}  // namespace

int Serve(const ServeOptions& o) {
  auto t0 = std::chrono::steady_clock::now();
  SetUpLogging(o.log_level);
  if (!IsLoopback(o.host) && !o.strict && !o.allow_insecure) {
    return StartFailed("refusing to listen on non-loopback address " + o.host +
                       " without --strict: dev mode accepts any access key without checking its signature.\n"
                       "Use --strict, or --allow-insecure if you really mean it.");
  }
  // Load and validate the whole config before touching any state.
  Config config;
  if (!o.config_file.empty()) {
    auto loaded = LoadConfigFile(o.config_file);
    if (!loaded.ok()) return StartFailed(loaded.status().message());
    config = std::move(*loaded);
  }
  std::string region = config.region.value_or(o.region);
  std::string self_signed_pem;
  auto tls = MakeTls(o, &self_signed_pem);
  if (!tls.ok()) return StartFailed(tls.status().message());
  auto opened = OpenStorage(o);
  if (!opened.ok()) return StartFailed(opened.status().message());
  Storage& st = *opened;
  std::string cert_path;
  RemoveDirAtExit cert_tmp_dir;
  if (!self_signed_pem.empty()) {
    auto published = PublishCertificate(o, self_signed_pem, &cert_tmp_dir);
    if (!published.ok()) return StartFailed("--tls-self-signed: " + published.status().message());
    cert_path = *published;
  }
  // One master key for the process (in --memory mode it is random per process,
  // so every service must share this copy).
  auto master = services::kms::LoadMasterKey(std::getenv("CROSSKEY_MASTER_KEY"), o.data_dir, o.memory);
  if (!master.ok()) return StartFailed(master.status().message());

  ServiceStack stack(o, region, st, *master);
  // Without --config the state is used as the last run left it (nothing is
  // applied, nothing withdrawn); with one, the config is the baseline.
  if (!o.config_file.empty())
    if (Status seeded = ApplyConfig(config, stack.identities, stack.clock); !seeded.ok())
      return StartFailed(ConfigError(o.config_file, seeded));
  if (Status started = stack.Start(); !started.ok()) return StartFailed(started.message());
  if (Status s = SeedKeysAndBuckets(config, region, stack.kms, stack.s3); !s.ok())
    return StartFailed(ConfigError(o.config_file, s));
  // Nothing is in flight yet: every unreferenced blob is an orphan.
  if (Status swept = stack.sweeper.SweepOnce(std::chrono::seconds(0)); !swept.ok())
    spdlog::warn("orphan sweep at start-up failed (serving anyway): {}", swept.message());

  http::Server server(HttpOptions(o, *tls), stack.gateway, services::Gateway::LimitError);
  if (Status listening = server.Listen(); !listening.ok()) return StartFailed(listening.message());
  server.OnReady([&] {
    auto ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    AnnounceReady(o, region, st, server, *tls, cert_path, ms);
  });
  stack.sweeper.Start();
  server.Run();
  stack.sweeper.Stop();
  spdlog::info("crosskey stopping: closing the store");
  Status closed = st.meta->Close();
  if (!closed.ok()) spdlog::error("closing metadata store: {}", closed.message());
  return 0;
}

}  // namespace ck::server
