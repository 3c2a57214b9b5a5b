// `crosskey explain REQUEST-ID`: prints a running server's decision record of
// one request (GET /_crosskey/explain/REQUEST-ID, docs/admin-api.md).
#pragma once

#include <string>

#include <CLI/CLI.hpp>

namespace ck::tools::explain {

struct CommandLine {
  std::string request_id;
  std::string endpoint_url;  // default: AWS_ENDPOINT_URL, else http://127.0.0.1:4566
  std::string ca_bundle;
  std::string format = "text";
};

CLI::App* AddCommand(CLI::App& app, CommandLine& cl);
// 0: printed; 1: no such record; 2: the server could not be asked.
int Run(const CommandLine& cl);

}  // namespace ck::tools::explain
