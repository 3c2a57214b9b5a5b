// crosskey: a local AWS (S3, KMS, STS/IAM, DynamoDB and Secrets Manager
// encryption surfaces) for several accounts on one port.
#include <iostream>

#include <CLI/CLI.hpp>

#include "server/app.h"
#include "tools/audit/cli.h"
#include "tools/explain/explain_command.h"
#include "tools/lint/command.h"

namespace {

// Decision records (`crosskey explain`) and HTTPS.
void AddRecordAndTlsOptions(CLI::App* serve, ck::server::ServeOptions& o) {
  serve->add_option("--decision-records", o.decision_records,
                    "How many requests' decision records to keep for `crosskey explain` (0: none)")
      ->capture_default_str();
  serve->add_option("--decision-log", o.decision_file, "Also append every decision record to this JSON-lines file");
  auto* tls_cert =
      serve->add_option("--tls-cert", o.tls_cert_file, "PEM certificate chain: the port serves HTTPS as well as HTTP")
          ->check(CLI::ExistingFile);
  auto* tls_key =
      serve->add_option("--tls-key", o.tls_key_file, "PEM private key of --tls-cert")->check(CLI::ExistingFile);
  tls_cert->needs(tls_key);
  tls_key->needs(tls_cert);
  auto* tls_self_signed = serve->add_flag(
      "--tls-self-signed", o.tls_self_signed,
      "Serve HTTPS as well, with a certificate for localhost, 127.0.0.1 and ::1 made at start and written to "
      "<data-dir>/tls/cert.pem (with --memory: a temporary file; its path is printed)");
  tls_self_signed->excludes(tls_cert)->excludes(tls_key);
}

// `crosskey serve` and its options: the listener, the state, security and logging.
void AddServeCommand(CLI::App& app, ck::server::ServeOptions& o) {
  auto* serve = app.add_subcommand("serve", "Run the emulator on one port for every service");
  serve->add_option("--host", o.host, "Address to listen on (loopback unless --strict)")->capture_default_str();
  serve->add_option("--port", o.port, "Port to listen on (0 picks a free one)")->capture_default_str()->check(
      CLI::Range(0, 65535));
  auto* data_dir = serve->add_option("--data-dir", o.data_dir, "Directory for metadata and object data")
                       ->capture_default_str();
  auto* memory = serve->add_flag("--memory", o.memory, "Keep everything in memory (nothing survives a restart)");
  data_dir->excludes(memory);
  serve->add_option("--config", o.config_file, "TOML file declaring accounts, users, roles, keys and buckets")
      ->check(CLI::ExistingFile);
  serve->add_option("--region", o.region, "Default region when a request names none")->capture_default_str();
  serve->add_flag("--strict", o.strict,
                  "Only keys crosskey issued or the config declared; every signature verified");
  serve->add_flag("--allow-insecure", o.allow_insecure, "Allow a non-loopback address without --strict");
  serve->add_flag("--fsync", o.fsync, "Make every acknowledged write durable against power loss");
  serve
      ->add_option("--small-blob-bytes", o.small_blob_bytes,
                   "Object bodies and parts up to this size are stored in the metadata database, not as files "
                   "(0: always files)")
      ->capture_default_str()
      ->check(CLI::Range(size_t{0}, size_t{1} << 20));
  serve
      ->add_option("--log-level", o.log_level,
                   "trace (adds routing and auth decisions), debug (adds error messages), info, warn, error, off")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "critical", "off"}));
  serve->add_option("--threads", o.threads, "Worker threads, each serving its share of the connections (0: two per core, at least 4)")->capture_default_str();
  serve->add_option("--max-header-bytes", o.max_header_bytes,
                    "Largest request line + headers; larger gets 400 RequestHeaderSectionTooLarge")
      ->capture_default_str()
      ->check(CLI::Range(size_t{1024}, size_t{1} << 20));
  serve->add_option("--idle-timeout", o.idle_timeout_seconds, "Seconds a connection may stay silent")
      ->capture_default_str()
      ->check(CLI::Range(1, 3600));
  serve->add_option("--max-connections", o.max_connections,
                    "Open connections; beyond it new ones get 503 SlowDown")
      ->capture_default_str();
  serve
      ->add_option("--sweep-interval", o.sweep_interval_seconds,
                   "Seconds between sweeps of orphan blobs while serving (0: only at start-up)")
      ->capture_default_str()
      ->check(CLI::Range(0, 86400));
  serve->add_flag("--diagnostic-headers", o.diagnostic_headers,
                  "Add x-crosskey-warning headers to responses that hit a known pitfall");
  serve->add_flag("--require-key-arns", o.require_key_arns,
                  "Refuse S3 encryption settings that name a KMS key by id or alias instead of ARN");
  serve->add_flag("--enable-time-travel", o.enable_time_travel,
                  "Allow POST /_crosskey/time?advance=SECONDS to move crosskey's clock forward (for tests)");
  AddRecordAndTlsOptions(serve, o);
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"crosskey: a faithful local AWS for encryption work across accounts.\n"
               "Point AWS clients at it with AWS_ENDPOINT_URL=http://127.0.0.1:4566; an access key id of\n"
               "12 digits acts as that account's root (dev mode)."};
  app.require_subcommand(1);
  ck::server::ServeOptions o;
  AddServeCommand(app, o);
  app.add_subcommand("version", "Print the version");
  ck::tools::audit::CommandLine audit_cl;
  auto [audit_cmd, fix_cmd] = ck::tools::audit::AddCommands(app, audit_cl);
  ck::tools::explain::CommandLine explain_cl;
  auto* explain_cmd = ck::tools::explain::AddCommand(app, explain_cl);

  CLI::App* lint = nullptr;
  auto lint_options = ck::tools::lint::AddCommand(app, &lint);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int status = app.exit(e);
    return status != 0 && lint->parsed() ? 2 : status;  // lint's usage errors exit 2
  }
  if (lint->parsed()) return ck::tools::lint::RunCommand(*lint_options, std::cout, std::cerr);
  if (app.got_subcommand("version")) {
    std::cout << "crosskey " << ck::server::kVersion << "\n";
    return 0;
  }
  if (audit_cmd->parsed()) return ck::tools::audit::RunAudit(audit_cl);
  if (fix_cmd->parsed()) return ck::tools::audit::RunFix(audit_cl);
  if (explain_cmd->parsed()) return ck::tools::explain::Run(explain_cl);
  return ck::server::Serve(o);
}
