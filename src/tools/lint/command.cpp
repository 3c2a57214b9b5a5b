#include "tools/lint/command.h"

#include <fstream>
#include <iostream>
#include <map>
#include <set>

#include <CLI/CLI.hpp>

#include "tools/lint/fix.h"
#include "tools/lint/lint.h"
#include "tools/lint/reference.h"
#include "tools/lint/report.h"

namespace ck::tools::lint {

namespace {

constexpr const char* kVersion = "0.1.0";

int Rank(Severity s) {
  switch (s) {
    case Severity::kError:
      return 3;
    case Severity::kWarning:
      return 2;
    case Severity::kNote:
      return 1;
  }
  return 0;
}

int Threshold(const std::string& fail_on) {
  if (fail_on == "error") return 3;
  if (fail_on == "warning") return 2;
  if (fail_on == "note") return 1;
  return 4;  // none
}

std::string Render(const CommandOptions& o, const LintRun& run) {
  Report report;
  report.sources = &run.sources();
  report.findings = run.findings();
  report.errors = run.errors();
  report.files = run.files();
  if (o.format == "json") return RenderJson(report);
  if (o.format == "sarif") return RenderSarif(report, kVersion);
  return RenderText(report);
}

// The edits --fix makes, by file path: each finding's replacement, in inputs
// lint may rewrite, where the value sits on one line.
std::map<std::string, std::vector<Edit>> Edits(const LintRun& run) {
  std::set<uint32_t> fixable;
  for (const Input& in : run.inputs())
    if (in.fixable) fixable.insert(in.files.begin(), in.files.end());
  std::map<std::string, std::vector<Edit>> out;
  for (const Finding& f : run.findings()) {
    if (f.replacement.empty() || !fixable.count(f.span.file) || f.span.empty()) continue;
    const SourceFile& file = run.sources().file(f.span.file);
    std::string_view old = std::string_view(file.text()).substr(f.span.begin, f.span.end - f.span.begin);
    if (old.find('\n') != std::string_view::npos || f.replacement.find('\n') != std::string::npos) continue;
    out[file.path()].push_back({f.span.begin, f.span.end, f.replacement});
  }
  return out;
}

}  // namespace

std::shared_ptr<CommandOptions> AddCommand(CLI::App& app, CLI::App** subcommand) {
  auto o = std::make_shared<CommandOptions>();
  CLI::App* lint = app.add_subcommand(
      "lint",
      "Find KMS key references that are not full ARNs (and keys that cannot be shared) in Terraform (.tf, plan or "
      "state JSON), CloudFormation (YAML or JSON) and bucket encryption JSON");
  lint->add_option("paths", o->paths, "Files or directories to lint");
  lint->add_option("--format", o->format, "Output format")
      ->capture_default_str()
      ->check(CLI::IsMember({"text", "json", "sarif"}));
  lint->add_option("--account", o->account,
                   "Account that owns what the inputs define: used to compute exact ARNs and to tell other accounts "
                   "from this one in policies");
  lint->add_option("--region", o->region, "Region of what the inputs define, to compute exact ARNs");
  lint->add_flag("--fix", o->fix,
                 "Rewrite unqualified references in .tf and CloudFormation files to the ARN (when known); print "
                 "the diff");
  lint->add_flag("--dry-run", o->dry_run, "With --fix: print the diff, change nothing");
  lint->add_option("--fail-on", o->fail_on, "Lowest severity that makes the exit status 1")
      ->capture_default_str()
      ->check(CLI::IsMember({"error", "warning", "note", "none"}));
  lint->add_flag("--list-rules", o->list_rules, "Print the rules and exit");
  *subcommand = lint;
  return o;
}

int RunCommand(const CommandOptions& o, std::ostream& out, std::ostream& err) {
  if (o.list_rules) {
    out << RenderRules();
    return 0;
  }
  if (o.paths.empty()) {
    err << "crosskey lint: no PATH given (files or directories to lint)\n";
    return 2;
  }
  if (!o.account.empty() && !IsAccountId(o.account)) {
    err << "crosskey lint: --account must be a 12-digit account id, not \"" << o.account << "\"\n";
    return 2;
  }
  if (o.dry_run && !o.fix) {
    err << "crosskey lint: --dry-run only makes sense with --fix\n";
    return 2;
  }
  ReadOptions read{o.account, o.region};
  LintRun run;
  run.Load(o.paths, read, nullptr);
  const LintRun* report_run = &run;
  LintRun after;
  if (o.fix && run.errors().empty()) {
    std::map<std::string, std::string> rewritten;
    std::string diff;
    for (const auto& [path, edits] : Edits(run)) {
      const SourceFile* file = nullptr;
      for (size_t i = 0; i < run.sources().size(); ++i)
        if (run.sources().file(static_cast<uint32_t>(i)).path() == path)
          file = &run.sources().file(static_cast<uint32_t>(i));
      if (!file) continue;
      std::string text = ApplyEdits(file->text(), edits);
      diff += UnifiedDiff(path, file->text(), text);
      rewritten[path] = std::move(text);
    }
    if (!o.dry_run) {
      for (const auto& [path, text] : rewritten) {
        std::ofstream f(path, std::ios::binary | std::ios::trunc);
        f << text;
        if (!f) {
          err << path << ": error: cannot write the file\n";
          return 2;
        }
      }
    }
    (o.format == "text" ? out : err) << diff;
    after.Load(o.paths, read, &rewritten);
    report_run = &after;
  }
  for (const std::string& e : report_run->errors()) err << e << "\n";
  out << Render(o, *report_run);
  if (!report_run->errors().empty()) return 2;
  int threshold = Threshold(o.fail_on);
  for (const Finding& f : report_run->findings())
    if (Rank(f.rule->severity) >= threshold) return 1;
  return 0;
}

}  // namespace ck::tools::lint
