// `crosskey audit` and `crosskey fix` on the command line.
#pragma once

#include <string>
#include <vector>

#include <CLI/CLI.hpp>

namespace ck::tools::audit {

struct CommandLine {
  std::vector<std::string> buckets;
  std::vector<std::string> assume;
  std::string profile, region, endpoint_url, ca_bundle, checkpoint, format = "text";
  int concurrency = 16;
  double rate_limit = 0;
  bool no_progress = false;
  // fix
  bool apply = false;
  std::string journal, key, copy_as;
  uint64_t multipart_threshold = 5ULL * 1024 * 1024 * 1024;
};

// Adds the "audit" and "fix" subcommands; returns them so the caller can ask
// which one was given.
std::pair<CLI::App*, CLI::App*> AddCommands(CLI::App& app, CommandLine& cl);

// Exit status: 0 clean, 1 findings, 2 usage or a failure to audit.
int RunAudit(const CommandLine& cl);
// Exit status: 0 done (or nothing to do), 1 objects left unfixed, 2 failure.
int RunFix(const CommandLine& cl);

}  // namespace ck::tools::audit
