// `crosskey lint PATH...`: the subcommand's options and its entry point, so
// that main() only registers and dispatches.
//
// Exit status: 0 when nothing at or above --fail-on (default: warning) is
// found, 1 when something is, 2 for a usage error or an input that cannot be
// read (the message names the file, line and column).
#pragma once

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ck::tools::lint {

struct CommandOptions {
  std::vector<std::string> paths;
  std::string format = "text";  // text | json | sarif
  std::string account, region;
  bool fix = false;
  bool dry_run = false;
  std::string fail_on = "warning";  // error | warning | note | none
  bool list_rules = false;
};

// Adds the `lint` subcommand to `app`; the options are filled when it parses.
std::shared_ptr<CommandOptions> AddCommand(CLI::App& app, CLI::App** subcommand);

// Runs the command; the report goes to `out`, diagnostics (and with --fix in
// json/sarif format, the diff) to `err`. Returns the exit status.
int RunCommand(const CommandOptions& options, std::ostream& out, std::ostream& err);

}  // namespace ck::tools::lint
