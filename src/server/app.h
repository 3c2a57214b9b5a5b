// The composition root: builds stores, identities, services, the gateway and
// the HTTP server from the command line and config, and hands each its
// dependencies by reference. No globals.
#pragma once

#include <string>

#include "base/status.h"

namespace ck::server {

struct ServeOptions {
  std::string host = "127.0.0.1";
  int port = 4566;
  std::string data_dir = ".crosskey";
  bool memory = false;
  std::string config_file;
  std::string region = "us-east-1";
  bool strict = false;
  bool allow_insecure = false;
  bool fsync = false;
  // Blobs (object bodies, parts) of at most this many bytes are kept as rows of
  // the metadata database instead of files (0: every blob a file).
  size_t small_blob_bytes = 16 * 1024;
  std::string log_level = "info";
  unsigned threads = 0;
  // Explicit limits (see docs/limits.md).
  size_t max_header_bytes = 16 * 1024;
  int idle_timeout_seconds = 60;
  size_t max_connections = 4096;
  // Seconds between orphan sweeps while serving (0: only the one at start-up).
  int sweep_interval_seconds = 600;
  bool diagnostic_headers = false;
  bool require_key_arns = false;
  // POST /_crosskey/time?advance=SECONDS moves the logical clock (tests of expiry).
  bool enable_time_travel = false;
  // Decision records kept for `crosskey explain` (in memory), and a JSON-lines file of all.
  size_t decision_records = 2000;  // about 2 KB each: a few MiB at most
  std::string decision_file;
  // HTTPS on the same port as HTTP: a PEM certificate chain and its key, or
  // a certificate generated at each start (written to <data-dir>/tls/cert.pem,
  // or a temporary directory with --memory, for clients to trust).
  std::string tls_cert_file;
  std::string tls_key_file;
  bool tls_self_signed = false;
  // Printed once the server accepts connections (tests wait for it).
  bool print_ready = true;
};

// Runs the server until SIGINT/SIGTERM. Returns the process exit code.
int Serve(const ServeOptions& options);

// True for 127.0.0.0/8, ::1 and "localhost".
bool IsLoopback(const std::string& host);

extern const char kVersion[];

}  // namespace ck::server
